import { useEffect } from 'react';
import { PanelIntro } from '../../components/PanelIntro';
import { useMessages } from '../../i18n';
import { useBnonly } from '../../stores/bnonly';
import { ConfigForm } from './ConfigForm';
import { RunList } from './RunList';
import { Curves } from './Curves';
import { GammaView } from './GammaView';
import { PaperTable } from './PaperTable';
import { ExportBar } from './ExportBar';
import './bnonly.css';

/** Train BatchNorm and only BatchNorm: configure, run side by side in a worker, watch, compare, export. */
export default function BnonlyPanel() {
  const m = useMessages();
  const { init, ready, experiments, selectedId } = useBnonly();
  useEffect(() => {
    void init();
  }, [init]);
  const selected = experiments.find((e) => e.id === selectedId);
  return (
    <>
      <PanelIntro text={m.bnonly} />
      <p className="help" data-testid="keeps-note" data-keeps="yes">{m.bnonly.keepsNote}</p>
      <ConfigForm />
      <RunList />
      {ready && experiments.length > 0 && !selected && <p className="empty-state">{m.bnonly.selectRun}</p>}
      {selected && (
        <div data-testid="bn-selected" data-id={selected.id}>
          <Curves r={selected} />
          <GammaView key={selected.id} r={selected} />
          {selected.runs.length > 0 && <PaperTable r={selected} />}
          <ExportBar key={`x${selected.id}`} r={selected} />
        </div>
      )}
    </>
  );
}
