// Destroying a network namespace (`ip netns del` once nothing else holds it): what
// cleanup_net and default_device_exit_batch do. The kernel does it a moment after the
// command returns; the model shows the settled state at once (README: time does not pass).
import { isLoopback } from './device.ts';
import { deleteDevice } from './link-ops.ts';
import type { World } from './world.ts';

export function destroyNetns(world: World, name: string): boolean {
  const ns = world.netns(name);
  if (!ns) return false;
  world.deleteNetns(name);
  // Every virtual device goes (rtnl_link_ops->dellink): a veth takes its peer with it,
  // wherever that is; devices stacked on one go too. Only lo is left to die with the namespace.
  for (const dev of ns.devicesByIndex().reverse()) {
    if (isLoopback(dev) || ns.device(dev.name) !== dev) continue;
    deleteDevice(dev);
  }
  for (const other of [world.root, ...world.namespaces()]) other.forgetPeer(ns);
  return true;
}
