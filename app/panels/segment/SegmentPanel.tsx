import { useEffect } from 'react';
import { PanelIntro } from '../../components/PanelIntro';
import { useMessages } from '../../i18n';
import { useSegModel } from '../../stores/segment-model';
import { useSegment } from '../../stores/segment';
import { SegModelSection } from './SegModelSection';
import { ImageDrop } from './ImageDrop';
import { PromptList } from './PromptList';
import { SegmentCanvas } from './SegmentCanvas';
import { ViewControls } from './ViewControls';
import { Exports } from './Exports';
import { LiveSegment } from './LiveSegment';
import './segment.css';

export default function SegmentPanel() {
  const m = useMessages();
  const generation = useSegModel((s) => s.generation);

  // A model that becomes ready (first load, reload, new model) segments the prompts already typed.
  useEffect(() => {
    if (generation > 0) void useSegment.getState().run();
  }, [generation]);

  return (
    <div className="segment-panel">
      <PanelIntro text={m.segment} />
      <p className="help" data-testid="keeps-note" data-keeps="no">{m.segment.keepsNote}</p>
      <div className="two-col">
        <div className="col-side">
          <SegModelSection />
          <section className="section" aria-labelledby="seg-prompts-h">
            <h3 id="seg-prompts-h">{m.segment.promptsHeading}</h3>
            <PromptList />
          </section>
          <section className="section" aria-labelledby="seg-view-h">
            <h3 id="seg-view-h">{m.segment.viewHeading}</h3>
            <ViewControls />
          </section>
        </div>
        <div className="col-main">
          <section className="section" aria-labelledby="seg-image-h">
            <h3 id="seg-image-h">{m.segment.imageHeading}</h3>
            <ImageDrop />
            <SegmentCanvas />
          </section>
          <LiveSegment />
          <section className="section" aria-labelledby="seg-export-h">
            <h3 id="seg-export-h">{m.segment.exportHeading}</h3>
            <Exports />
          </section>
        </div>
      </div>
    </div>
  );
}
