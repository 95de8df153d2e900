/** The page's entry: one store (whose supervisor drives the toolchain worker index.html started), the App. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { preloadViews } from './lazy-views.tsx';
import './styles.css';
import { createBrowserStore, StoreProvider } from './store/index.ts';

const store = createBrowserStore();
void store.getState().actions.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
// The views' chunk (recharts, 471 kB) once the toolchain is ready: fetched
// and parsed during the compile, it competed with it for a 2-core machine.
const stopWaiting = store.subscribe((state) => {
  if (state.toolchain.info === null && state.toolchain.status !== 'failed') return;
  stopWaiting();
  preloadViews();
});
