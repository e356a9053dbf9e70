// The kernel the model stands for: the reference kernel, Debian's Linux 6.1 (`uname -r`
// 6.1.0-57-amd64 in the reference VM, lib/vm). Printed where the kernel prints its own
// release (/proc/net/bonding: "Ethernet Channel Bonding Driver: v6.1.0-57-amd64").
export const KERNEL_RELEASE = '6.1.0-57-amd64';
