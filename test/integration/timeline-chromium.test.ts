import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { loadHistory, replayWindow } from '../../src/app/whatif';
import { runTimelineCommand } from '../../src/cli/commands/timeline';
import { decodeProposal } from '../../src/whatif';
import { buildTimeline, loadChartAssets, renderHtml } from '../../src/timeline';
import { input } from '../unit/timeline/fixture';

/**
 * The HTML timeline in a real headless Chromium (Debian's, installed by scripts/chromium.sh):
 * the page renders offline, Chart.js draws one chart per key series with datasets and
 * annotations, the events list names the planted cause, and nothing logs an error.
 *
 * Screenshots go to out/; with EPICENTER_UPDATE_SCREENSHOT=1 the example incident's (or, before
 * it exists, the story fixture's) also replaces docs/img/timeline.png.
 */

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
/** The bundled example; EPICENTER_TIMELINE_EXAMPLE points at another folder of the same shape. */
const EXAMPLE = process.env['EPICENTER_TIMELINE_EXAMPLE'] ?? join(ROOT, 'examples', 'incident');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A drawn marker label, as chartjs-plugin-annotation placed it (canvas px). */
interface LabelBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
}

interface PageReport {
  readonly canvases: number;
  readonly charts: { datasets: number; points: number; annotations: number; hasPlugin: boolean; labels: LabelBox[]; width: number; height: number }[];
  readonly eventsText: string;
  readonly verdictText: string;
  readonly title: string;
  readonly problems: string[];
}

const PAGE_PROBE = `(() => {
  const canvases = [...document.querySelectorAll('canvas')];
  const charts = canvases.map((c) => {
    const chart = Chart.getChart(c);
    return {
      datasets: chart ? chart.data.datasets.length : 0,
      points: chart && chart.data.datasets[0] ? chart.data.datasets[0].data.length : 0,
      annotations: Object.keys((chart && chart.options.plugins.annotation && chart.options.plugins.annotation.annotations) || {}).length,
      hasPlugin: Chart.registry.plugins.get('annotation') !== undefined,
      labels: chart ? Chart.registry.plugins.get('annotation').getAnnotations(chart)
        .map((el) => el.label)
        .filter((l) => l && l.options && l.options.display)
        .map((l) => ({ text: String(l.options.content), x: l.x, y: l.y, x2: l.x2, y2: l.y2 })) : [],
      width: chart ? chart.width : 0,
      height: chart ? chart.height : 0,
    };
  });
  return {
    canvases: canvases.length,
    charts,
    eventsText: document.querySelector('#events')?.textContent ?? '',
    verdictText: document.querySelector('#verdict')?.textContent ?? '',
    title: document.title,
  };
})()`;

async function inspect(browser: Browser, htmlFile: string, screenshot: string): Promise<PageReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(htmlFile).href);
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
  // Runs in the page (this project compiles without DOM types, hence a string).
  const report = await page.evaluate<Omit<PageReport, 'problems'>>(PAGE_PROBE);
  await page.screenshot({ path: screenshot, fullPage: true });
  // The first screen — the verdict and the first three charts (the paged series, then the
  // suspect's side) — is what the docs show, cut below a whole chart.
  await page.setViewportSize({ width: 1280, height: 1500 });
  const bottom = await page.evaluate<number>(`(() => { const f = document.querySelectorAll('figure'); const last = f[Math.min(2, f.length - 1)]; return last ? last.getBoundingClientRect().bottom + window.scrollY + 14 : 1500; })()`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-top.png'), clip: { x: 0, y: 0, width: 1280, height: Math.min(1500, Math.ceil(bottom)) } });
  await page.close();
  return { ...report, problems };
}

function assertGoodPage(r: PageReport, expectedCharts: number, cause: readonly string[]): void {
  assert.deepEqual(r.problems, [], 'no console errors, page errors or network requests');
  assert.match(r.title, /^Timeline · /, 'no injected script touched the page');
  assert.ok(expectedCharts > 0, 'the timeline has charts to check');
  assert.equal(r.canvases, expectedCharts, 'one canvas per key series');
  for (const [i, c] of r.charts.entries()) {
    assert.ok(c.hasPlugin, 'chartjs-plugin-annotation registered');
    assert.ok(c.datasets >= 1 && c.points > 10, `chart ${i} has data (${c.datasets} datasets, ${c.points} points)`);
    assert.ok(c.annotations >= 1, `chart ${i} has annotations`);
    assertLabelsReadable(c, i);
  }
  for (const s of cause) assert.ok(r.eventsText.includes(s), `events list names the planted cause: ${s}`);
  assert.ok(cause.some((s) => r.verdictText.includes(s)), 'the verdict names the planted cause');
}

/** Marker labels as drawn: inside the canvas (not clipped) and none overlapping another. */
function assertLabelsReadable(c: PageReport['charts'][number], i: number): void {
  for (const a of c.labels) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x2 <= c.width && a.y2 <= c.height, `chart ${i}: label '${a.text}' inside the canvas (${JSON.stringify(a)}, ${c.width}×${c.height})`);
    for (const b of c.labels) {
      if (a === b) continue;
      const apart = a.x2 <= b.x || b.x2 <= a.x || a.y2 <= b.y || b.y2 <= a.y;
      assert.ok(apart, `chart ${i}: labels '${a.text}' and '${b.text}' overlap`);
    }
  }
}

describe('timeline HTML in headless Chromium', function () {
  this.timeout(900_000);
  let browser: Browser;
  let dir: string;
  const shots: string[] = [];

  before(async () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'chromium.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} installed`);
    dir = mkdtempSync(join(tmpdir(), 'epicenter-timeline-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    const best = shots[shots.length - 1];
    if (best !== undefined && process.env['EPICENTER_UPDATE_SCREENSHOT'] === '1') {
      mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
      writeFileSync(join(ROOT, 'docs', 'img', 'timeline.png'), readFileSync(best.replace(/\.png$/, '-top.png')));
    }
  });

  function shotPath(name: string): string {
    mkdirSync(join(ROOT, 'out'), { recursive: true });
    const p = join(ROOT, 'out', name);
    shots.push(p);
    return p;
  }

  it('renders the story fixture offline: charts with data and annotations, the cause named, no errors', async () => {
    const t = buildTimeline(input());
    const file = join(dir, 'fixture.html');
    writeFileSync(file, renderHtml(t, loadChartAssets()));
    const r = await inspect(browser, file, shotPath('timeline-fixture.png'));
    assertGoodPage(r, t.keySeries.length, ['raise http pool size', 'suspect #1']);
  });

  it('without an alert and with no clear cause: the page is marked and the headline says so', async () => {
    const weak = input().analysis.suspects.map((x, i) => ({ ...x, score: i === 0 ? 0.04 : 0.01 }));
    const t = buildTimeline(input({ alert: undefined, analysis: { ...input().analysis, suspects: weak } }));
    const file = join(dir, 'no-alert.html');
    writeFileSync(file, renderHtml(t, loadChartAssets()));
    const r = await inspect(browser, file, join(dir, 'no-alert.png'));
    assertGoodPage(r, t.keySeries.length, ['raise http pool size']);
    assert.match(r.verdictText, /No clear cause; top suspect at 4%/);
    for (const c of r.charts) assert.ok(c.labels.some((l) => l.text === 'page'), 'the page is marked on every chart');
  });

  it('survives hostile text: a summary with markup and </script> stays text and breaks nothing', async () => {
    const evil = '<img src=x onerror="document.title=1"></script><script>document.title=2</script>';
    const t = buildTimeline(input({ changes: input().changes.map((c) => (c.id === 'cfg-b-1' ? { ...c, summary: evil } : c)) }));
    const file = join(dir, 'hostile.html');
    writeFileSync(file, renderHtml(t, loadChartAssets()));
    const r = await inspect(browser, file, join(dir, 'hostile.png'));
    assertGoodPage(r, t.keySeries.length, [evil]);
  });

  it('renders the bundled example incident through the CLI, naming the planted cause', async function () {
    assert.ok(existsSync(join(EXAMPLE, 'truth.json')), 'the bundled incident examples/incident/ is missing');
    const truth = JSON.parse(readFileSync(join(EXAMPLE, 'truth.json'), 'utf8')) as Record<string, unknown>;
    const out = await runTimelineCommand({ out: dir, quiet: true, exampleDir: EXAMPLE });
    const html = readFileSync(out.html, 'utf8');
    const expectedCharts = (html.match(/<canvas /g) ?? []).length;
    const r = await inspect(browser, out.html, shotPath('timeline-example.png'));
    assertGoodPage(r, expectedCharts, plantedCause(truth));
  });

  it('renders a what-if replay of the bundled story: recorded vs predicted lines, the limit, both verdicts, no errors', async () => {
    const h = loadHistory({ metrics: [join(EXAMPLE, 'metrics.ndjson')], changes: [join(EXAMPLE, 'changes.ndjson')], topology: join(EXAMPLE, 'topology.yaml') });
    // The bundled pool change proposed an hour before it shipped.
    const proposal = decodeProposal(readFileSync(join(EXAMPLE, 'proposal.json'), 'utf8').replace('"2026-03-12T13:02:00Z"', '"2026-03-12T12:00:00Z"'), { file: 'proposal.json' });
    const { page } = replayWindow(h, proposal, Date.parse('2026-03-12T09:30:00Z'), Date.parse('2026-03-12T12:59:00Z'));
    const file = join(dir, 'replay.html');
    writeFileSync(file, page.html);
    const r = await inspect(browser, file, join(dir, 'replay.png'));
    assert.deepEqual(r.problems, [], 'no console errors, page errors or network requests');
    assert.match(r.title, /^Replay · /);
    assert.equal(r.canvases, page.timeline.keySeries.length);
    for (const [i, c] of r.charts.entries()) {
      assert.equal(c.datasets, 2, `chart ${i}: recorded and predicted`);
      assertLabelsReadable(c, i);
    }
    assert.ok(r.charts[0]!.labels.some((l) => l.text.startsWith('limit')), 'the limit is drawn on the paged chart');
    assert.match(r.verdictText, /config change on order-sync/);
  });
});

/** Strings that name the planted cause in truth.json: its change id (and summary when given). */
function plantedCause(truth: Record<string, unknown>): string[] {
  const cause = (truth['cause'] ?? truth['rootCause'] ?? truth) as Record<string, unknown>;
  const id = cause['changeId'] ?? cause['id'] ?? truth['causeId'];
  assert.equal(typeof id, 'string', `truth.json names the cause's change id: ${JSON.stringify(truth)}`);
  return [id as string];
}
