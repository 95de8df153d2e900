/**
 * The one module components use to reach the store (enforced by lint in
 * eslint.config.js): the provider, the hooks, every selector and the types
 * a component may need. Components never see zustand, the slices or the
 * worker.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from './create-store.ts';
import { selectActions } from './selectors.ts';
import type { AppActions, AppState } from './types.ts';

export * from './selectors.ts';
export type {
  AppActions,
  AppState,
  AlternativesSlice,
  AlternativeTry,
  CorpusField,
  CorpusKind,
  CorpusProgress,
  CurrentRun,
  DiagnoseSlot,
  DiagnoseState,
  DraftField,
  InitProgress,
  PassColumn,
  PassSort,
  PinnedRun,
  RunPhase,
  ScenarioFlag,
  ShareKind,
  ShareState,
  SupervisorStatus,
  SweepFormField,
  ThemePreference,
  ViewPanel,
} from './types.ts';
export type { AppStore } from './create-store.ts';
export { createBrowserStore } from './browser.ts';
export { slotName } from './diagnose-slice.ts';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp must be used inside <StoreProvider>');
  return store;
}

/** Reads the store through a selector from selectors.ts; re-renders when its value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** The store's actions (a stable object). */
export function useActions(): AppActions {
  return useApp(selectActions);
}
