// The kernel the model stands for: the lab machines' Linux 6.18 (release 6.18.44, without
// the lab build's local suffix). Printed where the kernel prints its own release.
export const KERNEL_RELEASE = '6.18.44';
