import { useEffect, useId, useMemo } from 'react';
import { PanelIntro } from '../../components/PanelIntro';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useClassify } from '../../stores/classify';
import { useSharedModel } from '../../stores/use-shared-model';
import { useImages } from '../../stores/images';
import { effectiveSource, useHardness } from '../../stores/hardness';
import { useCurriculum } from '../../stores/curriculum';
import { buildDataset } from './dataset';
import { networkDataset } from './network';
import { currentAnalysis } from './analysis-key';
import { cleanedCsv, cleanedJson, curriculumIndices, curriculumJson, derive } from './derive';
import { download } from './download';
import { RankingList } from './RankingList';
import { Histograms } from './Histograms';
import { Scatter } from './Scatter';
import { LabelErrors } from './LabelErrors';
import { SelfTraining } from './SelfTraining';
import { HumanAgreement } from './HumanAgreement';
import { LabelIssuesCompare } from './LabelIssuesCompare';
import type { VectorSource } from '../../workers/hardness-protocol';
import { IndexOpen } from '../explore/IndexOpen';
import { useIndexImport, indexClasses } from '../../stores/index-import';
import { useModel } from '../../stores/model';
import './hardness.css';
import { useErrorText } from '../../i18n/errors';

export default function HardnessPanel() {
  const m = useMessages();
  const errText = useErrorText();
  const f = useFormat();
  const items = useImages((s) => s.items);
  const results = useClassify((s) => s.results);
  const running = useClassify((s) => s.run.status === 'running' || s.run.status === 'text');
  const h = useHardness();
  const srcId = useId();
  useSharedModel();

  useEffect(() => {
    void useClassify.getState().restoreLast();
    // a BatchNorm run's images were open before the reload: compute them again from its checkpoint
    void useHardness.getState().reopenNetwork();
  }, []);

  const demo = useHardness((s) => s.demo);
  const network = useHardness((s) => s.network);
  const imported = useHardness((s) => s.imported);
  const netData = useMemo(() => (network ? networkDataset(network) : null), [network]);
  const data = useMemo(
    () => netData ?? imported ?? (demo ? buildDataset(demo.items, demo.results) : running ? null : buildDataset(items, results)),
    [netData, imported, demo, items, results, running],
  );
  useEffect(() => {
    if (data) void useHardness.getState().analyze(data);
  }, [data, h.source]);

  // Only the analysis of this very dataset: after a switch the previous one lingers until the effect above runs.
  const analysis = data ? currentAnalysis(h, effectiveSource(h.source, data), data.key) : null;
  const d = useMemo(
    () => (data && analysis ? derive(analysis, data, { relabel: h.relabel, excluded: h.excluded }, { minAvh: h.minAvh, minConfidence: h.minConfidence }) : null),
    [data, analysis, h.relabel, h.excluded, h.minAvh, h.minConfidence],
  );

  // A BatchNorm run's training images: keep their easy-to-hard order for the BatchNorm panel's curriculum option.
  useEffect(() => {
    if (!d || !data?.origin || data.origin.split !== 'train') return;
    useCurriculum.getState().keep(data.origin.dataset, { from: data.model, indices: curriculumIndices(d), of: data.items.length, at: Date.now() });
  }, [d, data]);

  if (!data) {
    return (
      <div className="hardness-panel">
        <PanelIntro text={m.hardness} />
        <p className="help" data-testid="keeps-note" data-keeps="partly">{m.hardness.keepsNote}</p>
        <div className="empty-state" data-testid="hard-empty">
          <p>{h.networkStatus === 'loading' ? m.hardness.networkReopening : running ? m.hardness.waitClassify : m.hardness.empty}</p>
          <p>
            <a href="#/clip">{m.hardness.goClip}</a>
          </p>
          <p>
            <a href="#/bnonly">{m.hardness.goBnonly}</a>
          </p>
          <p>
            <button type="button" onClick={() => void h.startDemo()} disabled={h.demoStatus === 'loading'} data-testid="hard-demo">
              {h.demoStatus === 'loading' ? m.hardness.demoLoading : m.hardness.demoButton}
            </button>
          </p>
          {(h.demoStatus === 'error' || h.networkStatus === 'error') && (
            <p className="error" role="alert">
              {errText(h.error)}
            </p>
          )}
        </div>
        <HardnessIndexSection />
      </div>
    );
  }

  const classes = data.classes;
  const source = effectiveSource(h.source, data);
  const sourceName = source === 'zeroshot' ? 'clip-zero-shot-text' : source === 'network' ? 'network-last-layer' : 'linear-probe';
  return (
    <div className="hardness-panel">
      <PanelIntro text={m.hardness} />
      <p className="help" data-testid="keeps-note" data-keeps="partly">{m.hardness.keepsNote}</p>
      {network && (
        <p className="notice" data-testid="hard-network-note">
          {fmt(network.split === 'train' ? m.hardness.networkNoteTrain : m.hardness.networkNoteTest, { n: data.items.length, run: data.model, step: f.num(network.step) })}{' '}
          <button type="button" className="link" onClick={() => h.leaveNetwork()} data-testid="hard-network-leave">
            {m.hardness.networkLeave}
          </button>
        </p>
      )}
      {imported && (
        <p className="notice" data-testid="hard-index-note">
          {fmt(m.embedIndex.hardnessNote, { n: f.num(imported.items.length, 0), classes: imported.classes.length })}{' '}
          <button type="button" className="link" onClick={() => h.leaveIndex()} data-testid="hard-index-leave">
            {m.embedIndex.hardnessLeave}
          </button>
        </p>
      )}
      {!network && !imported && demo && (
        <p className="notice" data-testid="hard-demo-note">
          {fmt(m.hardness.demoNote, { n: demo.items.length, accuracy: f.pct(demo.testAccuracy) })}{' '}
          <button type="button" className="link" onClick={() => h.leaveDemo()}>
            {m.hardness.demoLeave}
          </button>
        </p>
      )}
      <section className="section" aria-labelledby="hard-src-h">
        <h3 id="hard-src-h">{m.hardness.sourceHeading}</h3>
        <div className="toolbar-row">
          <label htmlFor={srcId}>{m.hardness.classVectors}</label>
          <select id={srcId} value={source} onChange={(e) => h.setSource(e.target.value as VectorSource)} style={{ width: 'auto' }} data-testid="hard-source">
            {data.vectors?.classVectors ? (
              <option value="network">{m.hardness.sourceNetwork}</option>
            ) : (
              <option value="zeroshot">{demo ? m.hardness.demoSource : m.hardness.sourceZeroShot}</option>
            )}
            <option value="probe" disabled={data.labelled < 2}>
              {m.hardness.sourceProbe}
            </option>
          </select>
          <span className="muted small" data-testid="hard-data">
            {fmt(m.hardness.dataLine, { n: data.items.length, labelled: data.labelled, classes: classes.length, model: data.model })}
          </span>
        </div>
        <p className="help">{source === 'probe' ? m.hardness.probeHelp : source === 'network' ? m.hardness.networkHelp : demo ? m.hardness.demoHelp : m.hardness.zeroShotHelp}</p>
        <div aria-live="polite" className="status-line">
          {h.status === 'running' && <p className="muted">{m.hardness.running}</p>}
          {h.status === 'error' && (
            <p className="error" role="alert" data-testid="hard-error">
              {errText(h.error)}
            </p>
          )}
          {analysis?.trainAccuracy !== undefined && (
            <p className="small">{fmt(m.hardness.probeTrained, { n: analysis.trainedOn ?? 0, acc: f.pct(analysis.trainAccuracy, 1) })}</p>
          )}
          {analysis && analysis.missing.length > 0 && <p className="warn small">{fmt(m.hardness.missing, { n: analysis.missing.length })}</p>}
        </div>
        {data.labelled === 0 && <p className="warn small">{m.hardness.noLabels}</p>}
      </section>

      {d && (
        <>
          <div className="two-col hard-top">
            <section className="section" aria-labelledby="hard-rank-h">
              <h3 id="hard-rank-h">{m.hardness.rankingHeading}</h3>
              <RankingList ranking={d.ranking} classes={classes} />
              <div className="actions">
                <button type="button" onClick={() => download('cleaned.csv', cleanedCsv(d, classes), 'text/csv')} data-testid="hard-export-csv">
                  {m.hardness.exportCleanedCsv}
                </button>
                <button type="button" onClick={() => download('cleaned.json', cleanedJson(d, classes, sourceName), 'application/json')} data-testid="hard-export-json">
                  {m.hardness.exportCleanedJson}
                </button>
                <button type="button" onClick={() => download('curriculum.json', curriculumJson(d, classes, sourceName, data.origin), 'application/json')} data-testid="hard-export-curriculum">
                  {m.hardness.exportCurriculum}
                </button>
              </div>
              {data.origin && (
                <p className="help" data-testid="hard-curriculum-note">
                  {data.origin.split === 'train' ? m.hardness.curriculumKept : m.hardness.curriculumTest}
                </p>
              )}
            </section>
            <section className="section" aria-labelledby="hard-err-h">
              <h3 id="hard-err-h">{m.hardness.suspectsHeading}</h3>
              <LabelErrors d={d} classes={classes} />
            </section>
          </div>
          <section className="section" aria-labelledby="hard-li-h">
            <h3 id="hard-li-h">{m.labelIssues.heading}</h3>
            <LabelIssuesCompare d={d} data={data} classes={classes} />
          </section>
          <section className="section" aria-labelledby="hard-scatter-h">
            <h3 id="hard-scatter-h">{m.hardness.scatterHeading}</h3>
            <p className="help">{m.hardness.scatterHelp}</p>
            <Scatter d={d} />
            <h4>{m.hardness.humanHeading}</h4>
            <HumanAgreement rows={d.ranking} data={data} />
          </section>
          <section className="section" aria-labelledby="hard-hist-h">
            <h3 id="hard-hist-h">{m.hardness.histHeading}</h3>
            <Histograms d={d} classes={classes} />
          </section>
          <section className="section" aria-labelledby="hard-st-h">
            <h3 id="hard-st-h">{m.hardness.selfTrainHeading}</h3>
            <SelfTraining data={data} />
          </section>
        </>
      )}
      {!imported && <HardnessIndexSection />}
    </div>
  );
}

/** Opening an index made by `cli embed` (the lab's one imported index, shared with the explore panel) and scoring it here. */
function HardnessIndexSection() {
  const m = useMessages();
  const errText = useErrorText();
  const loaded = useModel((s) => s.loaded);
  const summary = useIndexImport((s) => s.summary);
  const h = useHardness();
  if (!loaded) return null;
  const enough = indexClasses(summary).length >= 2;
  return (
    <section className="section" aria-labelledby="hard-index-h" data-testid="hard-index-section">
      <h3 id="hard-index-h">{m.embedIndex.hardnessTitle}</h3>
      <p className="help">{m.embedIndex.hardnessHelp}</p>
      <IndexOpen idPrefix="hard-index-" />
      {summary && !enough && <p className="warn small">{m.embedIndex.hardnessNeedLabels}</p>}
      <button type="button" className="button" disabled={!summary || !enough || h.importStatus === 'loading'} onClick={() => void h.openIndex()} data-testid="hard-index-use">
        {m.embedIndex.hardnessUse}
      </button>
      {h.importStatus === 'error' && (
        <p className="error" role="alert" data-testid="hard-index-error">
          {errText(h.importError)}
        </p>
      )}
    </section>
  );
}
