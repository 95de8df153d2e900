/** The page's entry: one store (whose supervisor starts the toolchain worker at once), the App. */
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
preloadViews();
