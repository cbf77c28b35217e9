//! The clustered Samba server: NetBIOS name and workgroup, AD membership, and one share per
//! top-level folder of the `winshare` volume served through `vfs_glusterfs`, as the original's
//! `smb-workgroup.j2` / `smb-domain.j2`: `Users` (only its owner, hidden), `Profiles` (hidden,
//! no client caching, no shadow copies), the others browseable; recycle bin everywhere and
//! previous versions (`shadow_copy2` on Gluster snapshots) everywhere but `Profiles`.

use super::model::{AdMembership, SambaPlan, Share};
use super::storage::StoragePlan;
use super::vars::{quoted, FileVars, SambaMode, Subfolder};
use crate::network::fallback::NetworkRole;
use crate::network::NetworkPlan;
use crate::report::Problem;
use crate::volumes::VolumeKind;

/// Share names Samba keeps for itself.
const RESERVED: &[&str] = &["global", "homes", "printers", "print$", "ipc$"];

/// The Samba plan.
pub fn samba(
    storage: &StoragePlan,
    network: &NetworkPlan,
    vars: &FileVars,
    problems: &mut Vec<Problem>,
) -> SambaPlan {
    let volume = match storage.volume(VolumeKind::WinShare) {
        Some(v) => v.name.clone(),
        None => {
            problems.push(super::lock::missing_volume(
                storage,
                VolumeKind::WinShare,
                "the Samba shares",
            ));
            VolumeKind::WinShare.default_volume_name().to_string()
        }
    };
    check_netbios(
        "hvp_netbios_storagename",
        &vars.netbios_storagename,
        problems,
    );
    let ad = match vars.samba_mode {
        SambaMode::Workgroup => None,
        SambaMode::Ad => {
            check_netbios("hvp_netbios_domainname", &vars.netbios_domainname, problems);
            Some(ad_membership(network, vars, problems))
        }
    };
    check_folders(
        "hvp_winshare_subfolders",
        &vars.winshare_subfolders,
        problems,
    );
    let shares: Vec<Share> = vars.winshare_subfolders.iter().map(share).collect();
    for (k, share) in shares.iter().enumerate() {
        let lower = share.name.to_lowercase();
        if RESERVED.contains(&lower.as_str()) {
            problems.push(Problem::error(
                "variable hvp_winshare_subfolders",
                format!(
                    "the folder {} would make the share [{}], a name Samba reserves",
                    quoted(share.path.trim_start_matches('/')),
                    share.name
                ),
                "rename the folder",
            ));
        }
        if let Some(first) = shares[..k].iter().find(|s| s.name.to_lowercase() == lower) {
            problems.push(Problem::error(
                "variable hvp_winshare_subfolders",
                format!(
                    "the folders {} and {} both make the share [{}] (share names ignore case)",
                    quoted(first.path.trim_start_matches('/')),
                    quoted(share.path.trim_start_matches('/')),
                    share.name
                ),
                "give every folder a different name",
            ));
        }
    }
    SambaPlan {
        mode: vars.samba_mode,
        netbios_name: vars.netbios_storagename.clone(),
        workgroup: match vars.samba_mode {
            SambaMode::Workgroup => "WORKGROUP".into(),
            SambaMode::Ad => vars.netbios_domainname.clone(),
        },
        ad,
        volume,
        shares,
        folders: vars.winshare_subfolders.clone(),
    }
}

fn share(folder: &Subfolder) -> Share {
    let path = folder.path.as_str();
    let mut name: String = path.chars().take(1).flat_map(char::to_uppercase).collect();
    name.push_str(&path.chars().skip(1).collect::<String>());
    // The original also had `valid users = %S` on Users, copied from a [homes] section: on a
    // share named Users, %S is "Users", so only a user called Users could connect. Dropped:
    // the per-user folders' permissions protect them.
    let (comment, browseable, no_client_caching, shadow_copies) = match path {
        "users" => ("User personal folder".to_string(), false, false, true),
        "profiles" => ("User profile folder".to_string(), false, true, false),
        "groups" => ("Group folder".to_string(), true, false, true),
        "software" => ("Software repository".to_string(), true, false, true),
        other => (format!("{other} folder"), true, false, true),
    };
    Share {
        name,
        path: format!("/{path}"),
        comment,
        browseable,
        no_client_caching,
        shadow_copies,
        logfile: format!("/var/log/samba/glusterfs-{path}.log"),
    }
}

/// Folder names: one path component of letters, digits, `-`, `_` and `.`, not `.`/`..`.
pub fn check_folders(variable: &str, folders: &[Subfolder], problems: &mut Vec<Problem>) {
    // A set, not a scan of the earlier folders: linear in the length of the list.
    let mut seen = std::collections::HashSet::new();
    for (k, folder) in folders.iter().enumerate() {
        let path = folder.path.as_str();
        let ok = !path.is_empty()
            && path.len() <= 64
            && path != "."
            && path != ".."
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            problems.push(Problem::error(
                format!("variable {variable}"),
                format!(
                    "item {k}: the path {} is not one plain folder name",
                    quoted(path)
                ),
                "use letters, digits, '-', '_' or '.' (no '/'), e.g. users",
            ));
        }
        for (what, name) in [("owner", &folder.owner), ("group", &folder.group)] {
            let ok = !name.is_empty()
                && name.len() <= 32
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '$'));
            if !ok {
                problems.push(Problem::error(
                    format!("variable {variable}"),
                    format!(
                        "item {k}: the {what} {} is not a user or group name",
                        quoted(name)
                    ),
                    format!("give a plain {what} name such as root"),
                ));
            }
        }
        if !seen.insert(folder.path.as_str()) {
            problems.push(Problem::error(
                format!("variable {variable}"),
                format!("the folder {} is listed twice", quoted(path)),
                "list every folder once",
            ));
        }
    }
}

fn check_netbios(variable: &str, name: &str, problems: &mut Vec<Problem>) {
    let ok = !name.is_empty()
        && name.len() <= 15
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        problems.push(Problem::error(
            format!("variable {variable}"),
            format!("{} is not a NetBIOS name", quoted(name)),
            "use 1 to 15 letters, digits or '-'",
        ));
    }
}

fn ad_membership(
    network: &NetworkPlan,
    vars: &FileVars,
    problems: &mut Vec<Problem>,
) -> AdMembership {
    let zone_domain = network
        .zone_for(NetworkRole::ActiveDirectory)
        .and_then(|z| network.zone(z))
        .map(|z| z.domain.clone())
        .unwrap_or_else(|| "mgmt.private".into());
    let domain = vars
        .adjoin_domain
        .clone()
        .unwrap_or_else(|| format!("ad.{zone_domain}"));
    let realm = vars
        .adjoin_realm
        .clone()
        .unwrap_or_else(|| domain.to_uppercase());
    if !realm
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
    {
        problems.push(Problem::error(
            "variable hvp_adjoin_realm",
            format!("{} is not a Kerberos realm", quoted(&realm)),
            "use the AD domain in upper case, e.g. AD.LAN.PRIVATE",
        ));
    }
    let ad_range = range("hvp_ad_range", &vars.ad_range, problems);
    let autorid_range = range("hvp_autorid_range", &vars.autorid_range, problems);
    if ad_range.0 <= autorid_range.1
        && autorid_range.0 <= ad_range.1
        && ad_range != (0, 0)
        && autorid_range != (0, 0)
    {
        problems.push(Problem::error(
            "variable hvp_ad_range",
            format!(
                "{} overlaps hvp_autorid_range {}",
                vars.ad_range, vars.autorid_range
            ),
            "give the two idmap ranges disjoint numbers",
        ));
    }
    if vars.autorid_rangesize == 0
        || vars.autorid_rangesize > autorid_range.1.saturating_sub(autorid_range.0) + 1
    {
        problems.push(Problem::error(
            "variable hvp_autorid_rangesize",
            format!(
                "{} does not fit hvp_autorid_range {}",
                vars.autorid_rangesize, vars.autorid_range
            ),
            "give a range size above 0 and no larger than the range",
        ));
    }
    AdMembership {
        realm,
        domain,
        ad_range,
        autorid_range,
        autorid_rangesize: vars.autorid_rangesize,
    }
}

fn range(variable: &str, text: &str, problems: &mut Vec<Problem>) -> (u64, u64) {
    let parsed = text.split_once('-').and_then(|(a, b)| {
        let (a, b) = (a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?);
        (a < b && b <= u64::from(u32::MAX)).then_some((a, b))
    });
    parsed.unwrap_or_else(|| {
        problems.push(Problem::error(
            format!("variable {variable}"),
            format!("{} is not a range LOW-HIGH of user ids", quoted(text)),
            "give e.g. 9999-1999999999 (LOW below HIGH, at most 4294967295)",
        ));
        (0, 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &str) -> Subfolder {
        Subfolder {
            path: path.into(),
            owner: "root".into(),
            group: "root".into(),
            mode: 0o755,
        }
    }

    #[test]
    fn shares_as_the_original() {
        let users = share(&folder("users"));
        assert_eq!(
            (users.name.as_str(), users.browseable, users.shadow_copies),
            ("Users", false, true)
        );
        let profiles = share(&folder("profiles"));
        assert!(!profiles.browseable && profiles.no_client_caching && !profiles.shadow_copies);
        let groups = share(&folder("groups"));
        assert!(groups.browseable && groups.shadow_copies);
        assert_eq!(groups.logfile, "/var/log/samba/glusterfs-groups.log");
        assert_eq!(share(&folder("scans")).comment, "scans folder");
    }

    #[test]
    fn folder_names_and_owners_are_checked() {
        let mut problems = Vec::new();
        let mut bad_owner = folder("ok");
        bad_owner.owner = "ro ot".into();
        check_folders(
            "v",
            &[folder("a/b"), folder(".."), bad_owner, folder("ok")],
            &mut problems,
        );
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[3].message.contains("listed twice"));
    }

    #[test]
    fn netbios_names() {
        let mut problems = Vec::new();
        check_netbios("v", "DISCORD-1", &mut problems);
        assert!(problems.is_empty());
        for bad in ["", "SIXTEEN-LETTERS!", "A.B", "ABCDEFGHIJKLMNOP"] {
            check_netbios("v", bad, &mut problems);
        }
        assert_eq!(problems.len(), 4);
    }

    #[test]
    fn ranges() {
        let mut problems = Vec::new();
        assert_eq!(range("v", "1-2", &mut problems), (1, 2));
        assert!(problems.is_empty());
        for bad in ["2-1", "1", "a-b", "1-99999999999"] {
            range("v", bad, &mut problems);
        }
        assert_eq!(problems.len(), 4);
    }
}
