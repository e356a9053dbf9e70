# ipvsadm -Z (zero the counters) on the reference VM: with nothing to zero, for a service that
# exists, and for one that does not (ESRCH: "No such service", ipvsadm exits 255).
ip netns add zz
ip netns exec zz ipvsadm -Z
echo "rc $?"
ip netns exec zz ipvsadm -Z -t 10.0.0.1:80
echo "rc $?"
ip netns exec zz ipvsadm -A -t 10.0.0.1:80 -s rr
ip netns exec zz ipvsadm -Z -t 10.0.0.1:80
echo "rc $?"
ip netns exec zz ipvsadm -Z -u 10.0.0.1:80
echo "rc $?"
ip netns exec zz ipvsadm -L -n --stats
ip netns del zz
