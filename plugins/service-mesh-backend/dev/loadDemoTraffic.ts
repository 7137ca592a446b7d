/*
 * Loads the demo mesh's traffic into VictoriaMetrics (used by scripts/victoria-metrics.sh load-demo):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs dev/loadDemoTraffic.ts --url http://127.0.0.1:8428 \
 *     [--hours 24] [--ahead-hours 24] [--scenario demo|ignore-destination-rule]
 *
 * Samples cover the last `hours` (plus 10 minutes, so a 24h window always has a sample before it) at one-minute
 * resolution, and `ahead-hours` into the future: VictoriaMetrics stores them and queries see each one once its
 * time has come, so the demo stays live without a feeder process. Basic auth from VM_USERNAME/VM_PASSWORD.
 */
import {
  demoTraffic,
  demoTrafficIgnoringDestinationRule,
} from '../src/metrics/__testUtils__/demoTraffic';
import {
  generateTraffic,
  importTraffic,
} from '../src/metrics/__testUtils__/trafficGenerator';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main() {
  const url = arg('url', 'http://127.0.0.1:8428');
  const hours = Number(arg('hours', '24'));
  const ahead = Number(arg('ahead-hours', '24'));
  const scenario = arg('scenario', 'demo');
  if (!(hours > 0) || !(ahead >= 0))
    throw new Error('bad --hours/--ahead-hours');
  const flows =
    scenario === 'ignore-destination-rule'
      ? demoTrafficIgnoringDestinationRule()
      : demoTraffic();
  const minute = 60_000;
  const now = Math.floor(Date.now() / minute) * minute;
  const started = Date.now();
  const series = generateTraffic({
    flows,
    start: now - hours * 3_600_000 - 10 * minute,
    end: now + ahead * 3_600_000,
  });
  const username = process.env.VM_USERNAME;
  const password = process.env.VM_PASSWORD;
  const result = await importTraffic(url, series, {
    ...(username && password ? { auth: { username, password } } : {}),
  });
  process.stdout.write(
    `loaded ${result.series} series, ${
      result.samples
    } samples (${scenario}, ${hours}h back, ${ahead}h ahead) into ${url} in ${
      Date.now() - started
    } ms\n`,
  );
}

main().catch(error => {
  process.stderr.write(`load-demo failed: ${error.message ?? error}\n`);
  process.exit(1);
});
