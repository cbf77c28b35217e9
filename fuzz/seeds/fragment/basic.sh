node_ip_offset="20"
test_ip['mgmt']="172.20.10.254"
bondopts["gluster"]='mode=balance-rr;miimon=100'
network_priority=( external mgmt
  lan )
declare -A mtu
mtu=( ['gluster']=9000 [lan]="1500" )
unset my_gateway
export x=1 # note
