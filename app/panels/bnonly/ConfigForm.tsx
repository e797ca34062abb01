import { useState, type DragEvent } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { MODE_TABLE } from '../../../src/bnonly/modes';
import { useBnonly } from '../../stores/bnonly';
import { useCurriculum } from '../../stores/curriculum';
import { DEFAULT_PACING } from '../../../src/bnonly/curriculum';
import type { ActualBackend, BackendPick, ExperimentConfig } from '../../workers/bnonly-protocol';
import { paramCounts } from './param-counts';
import { backendName, missingReason } from './labels';

export const DEPTHS = [8, 14, 20, 32, 44, 56, 110];

/** Returns the first problem with a configuration, or null. */
type ProblemKey = 'noModes' | 'curriculumMissing' | 'invalid' | 'cifarNeeded';

function validate(c: ExperimentConfig, hasFile: boolean, hasOrder = true): ProblemKey | null {
  if (c.modes.length === 0) return 'noModes';
  if (c.order === 'curriculum' && !hasOrder) return 'curriculumMissing';
  const p = c.pacing ?? DEFAULT_PACING;
  if (c.order === 'curriculum' && !(p.start > 0 && p.start <= 1 && p.full >= 0 && p.full <= 1)) return 'invalid';
  if (c.dataset === 'cifar10' && ((c.source.kind === 'url' && !c.source.url.trim()) || (c.source.kind === 'file' && !hasFile))) return 'cifarNeeded';
  const ok =
    c.width >= 1 &&
    c.steps >= 1 &&
    c.batch >= 1 &&
    c.lr > 0 &&
    c.momentum >= 0 &&
    c.momentum < 1 &&
    c.weightDecay >= 0 &&
    c.evalEvery >= 1 &&
    c.trainSize >= 0 &&
    c.testSize >= 0 &&
    c.milestones.every((x) => x > 0 && x < 1);
  return ok ? null : 'invalid';
}

function NumberField(props: { id: string; label: string; value: number; min?: number; max?: number; step?: number | 'any'; help?: string; onChange(v: number): void }) {
  const [text, setText] = useState(String(props.value));
  const shown = Number(text) === props.value ? text : String(props.value);
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <div>
        <input
          id={props.id}
          data-testid={props.id}
          type="number"
          inputMode="decimal"
          value={shown}
          min={props.min}
          max={props.max}
          step={props.step ?? 'any'}
          aria-describedby={props.help ? `${props.id}-help` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            const v = Number(e.target.value);
            if (e.target.value.trim() !== '' && Number.isFinite(v)) props.onChange(v);
          }}
        />
        {props.help && (
          <p className="help" id={`${props.id}-help`}>
            {props.help}
          </p>
        )}
      </div>
    </>
  );
}

export function ConfigForm() {
  const m = useMessages().bnonly;
  const f = useFormat();
  const { draft, setDraft, setDataset, toggleMode, file, setFile, start, activeId, backends, gpuVerdict, gpuChecking, recheckGpu } = useBnonly();
  const [milestoneText, setMilestoneText] = useState(draft.milestones.join(', '));
  const [over, setOver] = useState(false);
  const counts = paramCounts(draft.depth, draft.width, draft.dataset === 'cifar10' ? 3 : 1);
  const { curriculumSource, curriculumFile } = useBnonly();
  const kept = useCurriculum((s) => s.byDataset[draft.dataset]);
  const hasOrder = curriculumSource === 'file' ? !!curriculumFile && (!curriculumFile.dataset || curriculumFile.dataset === draft.dataset) : !!kept;
  const problem = validate(draft, file !== null, hasOrder);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const fl = e.dataTransfer.files[0];
    if (fl) setFile(fl);
  };
  const backendLabel = (b: ActualBackend) => backendName(m, b);

  return (
    <section className="section" aria-labelledby="bn-setup">
      <h3 id="bn-setup">{m.setupHeading}</h3>
      <p className="help">{m.guide}</p>
      <div className="bn-config">
        <div>
          <div className="form-grid">
            <label htmlFor="bn-dataset">{m.dataset}</label>
            <div>
              <select id="bn-dataset" data-testid="bn-dataset" value={draft.dataset} onChange={(e) => setDataset(e.target.value as ExperimentConfig['dataset'])}>
                <option value="fashion-mnist">{m.datasetFashion}</option>
                <option value="cifar10">{m.datasetCifar}</option>
              </select>
              {draft.dataset === 'fashion-mnist' && <p className="help">{m.datasetFashionHelp}</p>}
            </div>
            {draft.dataset === 'cifar10' && (
              <>
                <label htmlFor="bn-cifar-url">{m.cifarUrl}</label>
                <div>
                  <input
                    id="bn-cifar-url"
                    data-testid="bn-cifar-url"
                    type="url"
                    placeholder="https://…/cifar-10-binary.tar.gz"
                    value={draft.source.kind === 'url' ? draft.source.url : ''}
                    onChange={(e) => {
                      setFile(null);
                      setDraft({ source: { kind: 'url', url: e.target.value } });
                    }}
                  />
                  <p className="help">{m.cifarUrlHelp}</p>
                  <div
                    className={`bn-drop${over ? ' over' : ''}`}
                    onDragOver={(e) => {
                      e.preventDefault();
                      setOver(true);
                    }}
                    onDragLeave={() => setOver(false)}
                    onDrop={onDrop}
                  >
                    {m.cifarDrop}{' '}
                    <label className="bn-file-label">
                      <input
                        type="file"
                        data-testid="bn-cifar-file"
                        accept=".gz,.tgz,.tar,application/gzip"
                        className="bn-visually-hidden"
                        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                      />
                      <span className="bn-link">{m.cifarChoose}</span>
                    </label>
                    {file && <p className="help">{fmt(m.cifarPicked, { name: file.name, size: f.bytes(file.size) })}</p>}
                  </div>
                </div>
              </>
            )}

            <label htmlFor="bn-depth">{m.depth}</label>
            <div>
              <select id="bn-depth" data-testid="bn-depth" value={draft.depth} onChange={(e) => setDraft({ depth: Number(e.target.value) })} aria-describedby="bn-depth-help">
                {DEPTHS.map((d) => (
                  <option key={d} value={d}>
                    ResNet-{d}
                  </option>
                ))}
              </select>
              <p className="help" id="bn-depth-help">
                {m.depthHelp}
              </p>
            </div>
            <NumberField id="bn-width" label={m.width} value={draft.width} min={16} max={64} step={1} help={m.widthHelp} onChange={(width) => setDraft({ width })} />

          </div>
          <fieldset className="bn-modes-box" aria-describedby="bn-modes-help">
            <legend>{m.modes}</legend>
            <ul className="bn-modes">
              {MODE_TABLE.map(({ id: mode, colour }) => (
                <li key={mode}>
                  <label className="inline">
                    <input type="checkbox" data-testid={`bn-mode-${mode}`} checked={draft.modes.includes(mode)} onChange={() => toggleMode(mode)} />
                    <span className="bn-swatch" style={{ background: colour }} aria-hidden="true" />
                    {m.modeNames[mode]}
                  </label>
                  {counts && (
                    <span className="bn-count small muted" data-testid={`bn-count-${mode}`} data-trainable={counts.byMode[mode]} data-total={counts.total}>
                      {fmt(m.counts, { t: f.num(counts.byMode[mode]), n: f.num(counts.total), p: f.pct(counts.byMode[mode] / counts.total, 2) })}
                    </span>
                  )}
                </li>
              ))}
            </ul>
            <p className="help" id="bn-modes-help">
              {m.modesHelp}
            </p>
          </fieldset>
        </div>

        <div className="form-grid">
          <NumberField id="bn-steps" label={m.steps} value={draft.steps} min={1} step={1} onChange={(steps) => setDraft({ steps: Math.round(steps) })} />
          <NumberField id="bn-batch" label={m.batch} value={draft.batch} min={1} step={1} onChange={(batch) => setDraft({ batch: Math.round(batch) })} />
          <NumberField id="bn-lr" label={m.lr} value={draft.lr} min={0} help={m.lrHelp} onChange={(lr) => setDraft({ lr })} />
          <NumberField id="bn-momentum" label={m.momentum} value={draft.momentum} min={0} max={0.999} onChange={(momentum) => setDraft({ momentum })} />
          <NumberField id="bn-wd" label={m.weightDecay} value={draft.weightDecay} min={0} onChange={(weightDecay) => setDraft({ weightDecay })} />
          <label htmlFor="bn-milestones">{m.milestones}</label>
          <input
            id="bn-milestones"
            data-testid="bn-milestones"
            value={milestoneText}
            onChange={(e) => {
              setMilestoneText(e.target.value);
              const xs = e.target.value.split(/[,;\s]+/).filter(Boolean).map(Number);
              if (xs.every(Number.isFinite)) setDraft({ milestones: xs });
            }}
          />
          <NumberField id="bn-decay" label={m.lrDecay} value={draft.lrDecay} min={0} onChange={(lrDecay) => setDraft({ lrDecay })} />
          <NumberField id="bn-train-size" label={m.trainSize} value={draft.trainSize} min={0} step={1} help={m.sizeHelp} onChange={(trainSize) => setDraft({ trainSize: Math.round(trainSize) })} />
          <NumberField id="bn-test-size" label={m.testSize} value={draft.testSize} min={0} step={1} onChange={(testSize) => setDraft({ testSize: Math.round(testSize) })} />
          <NumberField id="bn-eval-every" label={m.evalEvery} value={draft.evalEvery} min={1} step={1} onChange={(evalEvery) => setDraft({ evalEvery: Math.round(evalEvery) })} />
          <NumberField id="bn-seed" label={m.seed} value={draft.seed} step={1} onChange={(seed) => setDraft({ seed: Math.round(seed) })} />
          <span />
          <label className="inline">
            <input type="checkbox" checked={draft.augment} onChange={(e) => setDraft({ augment: e.target.checked })} />
            {m.augment}
          </label>
          <CurriculumFields />
          <label htmlFor="bn-backend">{m.backend}</label>
          <div>
            <select id="bn-backend" data-testid="bn-backend" value={draft.backend} onChange={(e) => setDraft({ backend: e.target.value as BackendPick })}>
              <option value="auto">{fmt(m.backendAuto, { b: backends ? backendLabel(backends.auto) : '…' })}</option>
              {(['webgpu', 'webgl', 'wasm', 'cpu'] as ActualBackend[]).map((b) => (
                <option key={b} value={b} disabled={backends ? !backends.available.includes(b) : false}>
                  {backendLabel(b)}
                </option>
              ))}
            </select>
            {!backends && <p className="help">{m.backendProbing}</p>}
            {backends?.available.includes('webgpu') && (
              <div data-testid="bn-gpu-check" data-ok={gpuVerdict ? String(gpuVerdict.ok) : undefined}>
                <p className="help">{m.gpuCheckHelp}</p>
                {gpuChecking ? (
                  <p className="help" role="status">{m.gpuChecking}</p>
                ) : gpuVerdict ? (
                  <p className={gpuVerdict.ok ? 'help' : 'help warn'} role="status" data-testid="bn-gpu-verdict">
                    {gpuVerdict.ok ? m.gpuCheckOk : fmt(m.gpuCheckFailed, { reason: gpuVerdict.reason ?? '' })}
                  </p>
                ) : null}
                {(
                  <button type="button" className="small" data-testid="bn-gpu-recheck" disabled={gpuChecking || activeId !== null} onClick={() => void recheckGpu()}>
                    {m.gpuCheckAgain}
                  </button>
                )}
              </div>
            )}
            {backends &&
              Object.entries(backends.missing).map(([b, reason]) => (
                <p className="help" key={b}>
                  {fmt(m.backendMissing, { b: backendLabel(b as ActualBackend), reason: missingReason(m, reason ?? '') })}
                </p>
              ))}
          </div>
        </div>
      </div>
      <div className="actions">
        <button type="button" className="primary" data-testid="bn-start" disabled={problem !== null || activeId !== null} onClick={() => void start()}>
          {m.start}
        </button>
        {activeId && <p className="help">{m.busy}</p>}
        {!activeId && problem && (
          <p className="help warn" role="status">
            {m[problem]}
          </p>
        )}
      </div>
    </section>
  );
}

/** Data order: shuffled, or easy to hard from the hardness panel's order (or an imported file) with linear pacing. */
function CurriculumFields() {
  const m = useMessages().bnonly;
  const f = useFormat();
  const { draft, setDraft, curriculumSource, setCurriculumSource, curriculumFile, curriculumError, importCurriculum } = useBnonly();
  const kept = useCurriculum((s) => s.byDataset[draft.dataset]);
  const pacing = draft.pacing ?? DEFAULT_PACING;
  const curriculum = draft.order === 'curriculum';
  return (
    <>
      <label htmlFor="bn-order">{m.order}</label>
      <div>
        <select id="bn-order" data-testid="bn-order" value={draft.order ?? 'shuffled'} onChange={(e) => setDraft({ order: e.target.value as 'shuffled' | 'curriculum' })} aria-describedby="bn-order-help">
          <option value="shuffled">{m.orderShuffled}</option>
          <option value="curriculum">{m.orderCurriculum}</option>
        </select>
        <p className="help" id="bn-order-help">
          {m.orderHelp}
        </p>
      </div>
      {curriculum && (
        <>
          <span className="small muted">{m.curriculumFrom}</span>
          <fieldset className="bn-curriculum" data-testid="bn-curriculum">
            <legend className="bn-visually-hidden">{m.curriculumFrom}</legend>
            <label className="inline">
              <input type="radio" name="bn-curriculum-src" checked={curriculumSource === 'hardness'} onChange={() => setCurriculumSource('hardness')} data-testid="bn-curriculum-hardness" />
              {kept ? fmt(m.curriculumFromHardness, { n: f.num(kept.indices.length), from: kept.from }) : m.curriculumNoneKept}
            </label>
            <label className="inline">
              <input type="radio" name="bn-curriculum-src" checked={curriculumSource === 'file'} onChange={() => setCurriculumSource('file')} data-testid="bn-curriculum-file-src" />
              {curriculumFile ? fmt(m.curriculumPicked, { name: curriculumFile.name, n: f.num(curriculumFile.indices.length) }) : m.curriculumFromFile}
            </label>
            <label className="bn-file-label">
              <input
                type="file"
                data-testid="bn-curriculum-file"
                accept=".json,application/json"
                className="bn-visually-hidden"
                onChange={(e) => {
                  const fl = e.target.files?.[0];
                  if (fl) void importCurriculum(fl);
                  e.target.value = '';
                }}
              />
              <span className="bn-link">{m.curriculumChoose}</span>
            </label>
            {curriculumError && (
              <p className="error" role="alert">
                {curriculumError}
              </p>
            )}
          </fieldset>
          <NumberField
            id="bn-pace-start"
            label={m.paceStart}
            value={pacing.start}
            min={0.01}
            max={1}
            step={0.05}
            onChange={(start) => setDraft({ pacing: { ...pacing, start } })}
          />
          <NumberField
            id="bn-pace-full"
            label={m.paceFull}
            value={pacing.full}
            min={0}
            max={1}
            step={0.05}
            help={m.paceHelp}
            onChange={(full) => setDraft({ pacing: { ...pacing, full } })}
          />
        </>
      )}
    </>
  );
}
