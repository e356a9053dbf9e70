// Registers every modelled command. A tool module registers itself when imported.
import './iproute2/ip.ts';
import './bridge/fdb.ts';
import './procps/sysctl.ts';
import './busybox/ip.ts';
import './coreutils/builtins.ts';
