import type { SimService, World } from './world';
import { FD_METRIC } from './world';

/**
 * The motivating story as a fixed world: checkout-api (team checkout) runs with the default fd
 * limit of 1024; order-sync (team fulfilment) calls it and is about to get a connection-pool
 * config change. Used by `epicenter simulate --story fd-exhaustion` and examples/incident.
 */
export const STORY = { victim: 'checkout-api', culprit: 'order-sync' } as const;

export function storyWorld(): World {
  const svc = (name: string, team: string, kind: SimService['kind'], layer: number, instances: number, deps: [string, number, number][], o: Partial<SimService> = {}): SimService => ({
    name, team, kind, layer, instances, deps: deps.map((d) => d[0]),
    entryRate: 0, fanout: new Map(deps.map((d) => [d[0], d[1]])), poolMin: new Map(deps.map((d) => [d[0], d[2]])),
    latency: kind === 'db' ? 0.004 : 0.025, fdBase: 60, memBase: 400 * 2 ** 20, threadBase: 40,
    limits: { [FD_METRIC]: 65536 }, version: '1.0.0', ...o,
  });
  const services: SimService[] = [
    svc('web-frontend', 'storefront', 'frontend', 0, 2, [['checkout-api', 0.15, 8], ['cart-api', 0.6, 8], ['catalog-api', 1.2, 10]], { entryRate: 220, version: '5.2.1' }),
    svc('order-sync', 'fulfilment', 'worker', 1, 2, [['checkout-api', 1.0, 30], ['inventory-api', 0.8, 6]], { entryRate: 25, version: '3.7.0' }),
    svc('notify-worker', 'growth', 'worker', 1, 1, [['catalog-api', 0.5, 4]], { entryRate: 8, version: '0.9.3' }),
    svc('checkout-api', 'checkout', 'api', 1, 3, [['payments-gateway', 0.9, 10], ['orders-db', 2, 12], ['inventory-api', 1, 8]], { version: '2.13.4', fdBase: 400, latency: 0.04 }),
    svc('cart-api', 'storefront', 'api', 1, 2, [['inventory-api', 0.5, 6], ['catalog-api', 0.3, 6]], { version: '4.1.0' }),
    svc('catalog-api', 'catalog', 'api', 2, 2, [['search-api', 0.4, 6]], { version: '7.0.2' }),
    svc('inventory-api', 'fulfilment', 'api', 2, 2, [['inventory-db', 1.5, 10]], { version: '1.18.0' }),
    svc('payments-gateway', 'payments', 'api', 3, 2, [], { version: '9.4.1', latency: 0.08 }),
    svc('search-api', 'catalog', 'api', 3, 1, [], { version: '2.2.0' }),
    svc('orders-db', 'checkout', 'db', 3, 1, [], { version: '15.4.0' }),
    svc('inventory-db', 'fulfilment', 'db', 3, 1, [], { version: '15.4.0' }),
  ];
  return {
    services,
    byName: new Map(services.map((s) => [s.name, s])),
    teams: ['storefront', 'fulfilment', 'growth', 'checkout', 'catalog', 'payments'],
    labels: { version: true, instanceId: true, environment: true, peer: 'server.address' },
  };
}
