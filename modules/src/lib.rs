//! Shared edge code of the hvp binaries: the Ansible module protocol and atomic file writes.
