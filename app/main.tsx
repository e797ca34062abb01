import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './service-worker';
import { installLabApi } from './lab-api';
import './styles/app.css';

registerServiceWorker();
installLabApi();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
