/*
 * Istio `Gateway`s that serve 15443 or pass TLS through (AUTO_PASSTHROUGH, on any port: the cross-network port
 * may be overridden with networking.istio.io/gatewayPort): the cross-network gateway that lets other networks
 * reach this cluster's workloads through the east-west gateway. Other Gateways (ingress) are not kept.
 */
import {
  CROSS_NETWORK_PORT,
  IstioGatewayResource,
} from '@internal/plugin-service-mesh-common';
import {
  compact,
  isRecord,
  mapEach,
  MappingContext,
  MalformedError,
  optionalArray,
  optionalRecord,
  optionalString,
  stringMap,
} from './objects';

export function mapCrossNetworkGateways(
  items: unknown[],
  ctx: MappingContext,
): IstioGatewayResource[] {
  return mapEach(items, 'Gateway', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const servers = optionalArray(spec.servers, 'spec.servers').map(
      (server, i) => {
        if (!isRecord(server))
          throw new MalformedError(`spec.servers[${i}] is not an object`);
        const port = optionalRecord(server.port, `spec.servers[${i}].port`);
        if (!port || typeof port.number !== 'number') {
          throw new MalformedError(
            `spec.servers[${i}].port.number is not a number`,
          );
        }
        const tls = optionalRecord(server.tls, `spec.servers[${i}].tls`);
        const hosts = optionalArray(
          server.hosts,
          `spec.servers[${i}].hosts`,
        ).filter((h): h is string => typeof h === 'string');
        return compact({
          port: port.number,
          protocol: optionalString(
            port.protocol,
            `spec.servers[${i}].port.protocol`,
          ),
          tlsMode: optionalString(tls?.mode, `spec.servers[${i}].tls.mode`),
          hosts,
        });
      },
    );
    if (
      !servers.some(
        s =>
          s.port === CROSS_NETWORK_PORT ||
          (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH',
      )
    )
      return undefined;
    return {
      namespace: meta.namespace ?? '',
      name: meta.name,
      selector: stringMap(spec.selector, 'spec.selector'),
      servers,
    };
  });
}
