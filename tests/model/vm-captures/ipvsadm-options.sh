# ipvsadm 1.31 (Debian 1:1.31-1) on Linux 6.1: weights up to INT_MAX, the kernel's EINVAL for a
# real server in a namespace with no local table yet (no IPv4 address, lo down), thresholds
# (ERANGE when -y exceeds -x), tunnel types and their option checks, and the listing formats
# (not --nosort with two services: their order is the kernel hash of a netns_ipvs pointer).
ip netns add vi
ip netns exec vi ipvsadm -A -t 10.96.0.1:80 -s rr
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.3 -m
ip -n vi link set lo up
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.3 -m
ip -n vi link add dm0 address 02:00:00:00:01:01 type dummy
ip -n vi link set dm0 up
ip -n vi addr add 10.20.0.254/16 dev dm0
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.11 -m -w 65535
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.12 -m -w 65536
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.13 -m -w 2147483647
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.14 -m -w 2147483648
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.15 -m -w -1
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.16 -m -w 0x10
ip netns exec vi ipvsadm -e -t 10.96.0.1:80 -r 10.20.0.11 -m -w 70000
ip netns exec vi ipvsadm -e -t 10.96.0.1:80 -r 10.20.0.99 -m -w 7
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.255.255 -m
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.20.0.254 -m
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 224.0.0.1 -m
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.1 -g -x 5 -y 10
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.2 -g -y 10
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.6 -g -x 100 -y 10
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.7 -g -x abc
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.3 -i --tun-type gue --tun-port 6080 --tun-csum
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.4 -i --tun-type gre --tun-remcsum
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.4 -i --tun-type gue
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.4 -i --tun-type foo
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.4 -m --tun-type gre
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.4 -i --tun-type gre --tun-csum
ip netns exec vi ipvsadm -a -t 10.96.0.1:80 -r 10.30.0.5 -i
ip netns exec vi ipvsadm -A -u 10.96.0.10:53 -s wrr -p 60
ip netns exec vi ipvsadm -a -u 10.96.0.10:53 -r 10.20.1.1 -m -w 3
ip netns exec vi ipvsadm -Ln
ip netns exec vi ipvsadm -Ln --tun-info
ip netns exec vi ipvsadm -Ln --thresholds
ip netns exec vi ipvsadm -Ln --persistent-conn
ip netns exec vi ipvsadm -Ln --stats
ip netns exec vi ipvsadm -Ln --rate
ip netns exec vi ipvsadm -Ln --exact --stats
ip netns exec vi ipvsadm -Ln -u 10.96.0.10:53 --thresholds
ip netns exec vi ipvsadm -Sn
ip netns exec vi ipvsadm -Ln --timeout
ip netns exec vi ipvsadm -Ln --daemon
ip netns exec vi ipvsadm -Lnc
ip netns exec vi ipvsadm -Ln --stats --rate
ip netns exec vi ipvsadm -Ln -c --stats
ip netns exec vi ipvsadm -Ln --thresholds --timeout
ip netns exec vi ipvsadm -E -u 10.96.0.10:53 -s rr
ip netns exec vi ipvsadm -Ln -u 10.96.0.10:53
ip netns exec vi ipvsadm -E -u 10.96.0.10:53 -s rr -p 120
ip netns exec vi ipvsadm -Sn
ip netns del vi
