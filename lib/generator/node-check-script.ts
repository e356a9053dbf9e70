// Printing a node's check script: plain bash and diff, run as root on the real node after
// its setup script. It compares what is meaningful (see ./node-checks.ts) and prints, for each
// check, ok or the difference.
import { checkCommandLine } from './node-checks.ts';
import type { Node } from './cluster.ts';
import type { ExpectedCheck } from './expected.ts';
import type { StageId } from './plan.ts';

/** Single-quotes a word for bash. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A heredoc terminator that does not occur in the text. */
function terminator(text: string): string {
  let t = 'EXPECTED';
  for (let i = 1; text.split('\n').includes(t); i++) t = `EXPECTED_${i}`;
  return t;
}

export function renderCheckScript(n: Node, checks: readonly ExpectedCheck[]): string {
  const stages = [...new Set(checks.map((c) => c.check.stage))] as StageId[];
  const head = `#!/bin/bash
# check-${n.name}.sh: does ${n.name} look the way its setup script made it? Run it as root on
# ${n.name} after setup-${n.name}.sh. For each check it prints "ok" or the difference between
# the expected output (computed by the netatlas model from the same parameters) and what
# this node prints, as a unified diff (- expected, + this node). Exit status 0 when every
# check matches, 1 otherwise.
#
# What is compared, and why not everything:
# - Routes (ip route show root <pod CIDR>, ip route show default, ip route get <remote pod>),
#   the VTEP's neighbours and forwarding entries (ip neigh / bridge fdb show dev <vxlan>),
#   the inet lines of ip -4 addr, the VXLAN parameters (VNI, local, dev, port, MTU), the
#   bond's mode and hash policy, MTUs, sysctls, and the NAT rule: exactly, because each
#   of them decides where a packet goes.
# - Not compared: interface indexes, the MACs of physical NICs, qdiscs and link states,
#   IPv6 addresses (a new address stays "tentative" until duplicate address detection
#   is done), counters, and the bond's partner: they differ from machine to machine
#   without anything being wrong. The filters after "|" below keep the meaningful part.
# - Trailing blanks are ignored (iproute2 ends many lines with a space).
# - The ClusterIPs and the NAT rule must be present; other lines are allowed there, since
#   kube-proxy, Docker and others add their own.
# - Extra /32 routes in the pod CIDR are pods your CNI made: they show as "+" lines.
#
# To check only some stages (e.g. after building just the overlay):
#   CHECK_STAGES="20-node-net 30-overlay" bash check-${n.name}.sh
# Stages here: ${stages.join(' ')}
set -u
STAGES=\${CHECK_STAGES:-"${stages.join(' ')}"}
pass=0
fail=0
skip=0

# compare STAGE MODE TITLE COMMAND, with the expected output on stdin
compare() {
  local stage=$1 mode=$2 title=$3 cmd=$4 expected='' actual missing
  IFS= read -r -d '' expected || true
  expected=\${expected%$'\n'}
  case " $STAGES " in
    *" $stage "*) ;;
    *) skip=$((skip + 1)); return 0 ;;
  esac
  actual=$(eval "$cmd" 2>&1 | sed 's/[[:space:]]*$//')
  if [ "$mode" = exact ]; then
    if [ "$actual" = "$expected" ]; then
      pass=$((pass + 1)); echo "ok    $title"; return 0
    fi
    fail=$((fail + 1)); echo "DIFF  $title"; echo "      \\$ $cmd"
    diff -u --label expected --label "${n.name}" <(printf '%s\\n' "$expected") <(printf '%s\\n' "$actual") | sed 's/^/      /'
  else
    missing=$(grep -vxFf <(printf '%s\\n' "$actual") <(printf '%s\\n' "$expected"))
    if [ -z "$missing" ]; then
      pass=$((pass + 1)); echo "ok    $title"; return 0
    fi
    fail=$((fail + 1)); echo "DIFF  $title (missing lines)"; echo "      \\$ $cmd"
    printf '%s\\n' "$missing" | sed 's/^/      - /'
  fi
}
`;
  const body = checks
    .map(({ check, expected }) => {
      const t = terminator(expected);
      return `
# ${check.id}: ${check.why}
compare ${check.stage} ${check.mode} ${shQuote(check.title)} ${shQuote(checkCommandLine(check))} <<'${t}'
${expected === '' ? '' : expected + '\n'}${t}`;
    })
    .join('\n');
  const tail = `

echo "${n.name}: $pass checks match, $fail differ ($skip skipped)"
[ "$fail" -eq 0 ]
`;
  return head + body + tail;
}
