/**
 * The app shell: header, workspace list, start screen, profile view, status bar, and window-wide
 * drag-and-drop. Talks to the host only through the ApiClient from ../api/client.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, LoadedItem, OpenFailure, OpenResult } from '../../../shared/api/types';
import { describeError, toErrorInfo } from '../../../shared/errors';
import { getClient, openDroppedFiles, subscribeOpenRequests } from '../api/client';
import type { CompareFocus } from '../compare/CompareView';
import { nextSelection, selectionView, seriesOrder } from '../compare/pairs';
import { FindingsNav } from '../findings/FindingsNav';
import { MemoryNav } from '../memory/MemoryNav';
import { resolveLink, type ViewFocus } from '../findings/links';
import { useFindings } from '../findings/useFindings';
import { RecentFiles } from '../live/RecentFiles';
import { useLive } from '../live/useLive';
import { useReportExport } from '../report-export/useReportExport';
import { ProfileView } from '../profile/ProfileView';
import { DEFAULT_SETTINGS, type ViewSettings } from '../profile/settings';
import { ErrorBanner } from '../status/ErrorBanner';
import { OpenFailures } from '../status/OpenFailures';
import { StatusBar } from '../status/StatusBar';
import { isCancellation, TasksProvider, useApiCall } from '../status/tasks';
import { useNotice } from '../status/useNotice';
import { ItemList } from '../workspace/ItemList';
import type { Finding } from '../../../shared/findings/types';
import { StartScreen } from '../workspace/StartScreen';
import { OpenPathButton } from '../workspace/OpenPathButton';
import { OpenPathField } from '../workspace/OpenPathField';
import { useWindowFileDrop } from '../workspace/useWindowFileDrop';
import { compareAdvice, isMac, useMenuCommands, useSearchFocusRequest } from './commands';
import { Logo } from './Logo';
// Views and dialogs off the first screen are separate chunks (lib/lazy.tsx), prefetched once the page is idle.
import { CompareView, FindingsPanel, GcTraceView, GoroutinePairView, HeapCompareView, HeapView, MemoryView, SeriesView } from './lazyViews';
import { prefetchLazy } from '../lib/lazy';
import { inlineWorkspace, takeBootInfo, takeBootList, takeInlineFlame, withBootPrefetch } from './bootData';
import { pickDefault } from './pickDefault';

/** First heap profile, else the first profile, else the first item (pickDefault.ts, shared with bootData.ts). */
export { pickDefault };

/** The next selection after a click (one viewed, two compared, three or more a series): compare/pairs.ts. */
export { nextSelection };

function mergeItems(prev: LoadedItem[], add: LoadedItem[]): LoadedItem[] {
  const seen = new Map(prev.map((i) => [i.handle, i] as const));
  for (const i of add) seen.set(i.handle, i);
  return [...seen.values()];
}

function Shell() {
  const client = useMemo(() => withBootPrefetch(getClient()), []);
  // A served page comes with its workspace (bootData.ts): the first render already shows it.
  const [booted] = useState(inlineWorkspace);
  const [items, setItems] = useState<LoadedItem[] | null>(booted?.items ?? null);
  /** One handle: viewed; two (profiles): compared side by side, A then B. */
  const [selection, setSelection] = useState<string[]>(() => {
    const d = booted && pickDefault(booted.items);
    return d ? [d.handle] : [];
  });
  const [failures, setFailures] = useState<OpenFailure[]>([]);
  const [info, setInfo] = useState<AppInfo | null>(booted?.info ?? null);
  const [settings, setSettings] = useState<ViewSettings>(DEFAULT_SETTINGS);
  const listCall = useApiCall();
  const openCall = useApiCall();
  const closeCall = useApiCall();
  const fileInput = useRef<HTMLInputElement>(null);

  const applyOpen = useCallback((r: OpenResult) => {
    setFailures(r.failures);
    if (r.items.length) {
      setItems((prev) => mergeItems(prev ?? [], r.items));
      const pick = pickDefault(r.items);
      if (pick) setSelection([pick.handle]);
    }
  }, []);

  const loadList = useCallback(() => {
    void listCall.run('Loading workspace', (o) => takeBootList() ?? client.listItems({}, o)).then((list) => {
      if (!list) return;
      setItems((prev) => mergeItems(prev ?? [], list));
      setSelection((cur) => {
        if (cur.length) return cur;
        const d = pickDefault(list);
        return d ? [d.handle] : cur;
      });
    });
  }, [client, listCall.run]);

  useEffect(() => {
    if (!booted) {
      loadList();
      (takeBootInfo() ?? client.appInfo({})).then(setInfo, () => undefined);
    }
    prefetchLazy();
  }, [client, loadList, booted]);

  useEffect(() => subscribeOpenRequests(applyOpen), [applyOpen]);

  const status = useNotice();
  const openFiles = useCallback(
    (files: File[]) => {
      if (!files.length) return;
      const label = files.length === 1 ? `Opening ${files[0]!.name}` : `Opening ${files.length} files`;
      // A cancelled upload says so (and that the host dropped what it had) in the status bar.
      const open = (o: Parameters<typeof openDroppedFiles>[1]) =>
        openDroppedFiles(files, o).catch((e: unknown) => {
          if (isCancellation(e)) status.show(describeError(toErrorInfo(e)));
          throw e;
        });
      void openCall.run(label, open).then((r) => r && applyOpen(r));
    },
    [openCall.run, applyOpen, status.show],
  );

  const openDemo = useCallback(() => {
    void openCall.run('Opening demo investigation', (o) => client.openDemo({}, o)).then((r) => r && applyOpen(r));
  }, [client, openCall.run, applyOpen]);

  // The host's native dialog when it has one (Electron), else the page's file input (serve).
  const chooseFiles = useCallback(() => {
    if (!info?.canPickFiles) return fileInput.current?.click();
    client.pickFiles({ purpose: 'open' }).then(
      ({ paths }) => {
        if (!paths.length) return;
        const label = paths.length === 1 ? `Opening ${paths[0]!.split(/[\\/]/).pop()}` : `Opening ${paths.length} files`;
        void openCall.run(label, (o) => client.openFiles({ paths }, o)).then((r) => r && applyOpen(r));
      },
      (e) => setFailures([{ source: 'file dialog', error: toErrorInfo(e) }]),
    );
  }, [client, info, openCall.run, applyOpen]);

  // serve: open a file where it is on the serving machine (no upload).
  const openPath = useCallback(
    (path: string) => {
      void openCall.run(`Opening ${path.split(/[\\/]/).pop() || path}`, (o) => client.openFiles({ paths: [path] }, o)).then((r) => r && applyOpen(r));
    },
    [client, openCall.run, applyOpen],
  );
  const byPath = info !== null && !info.canPickFiles;

  const live = useLive({ client, onOpened: applyOpen });
  const report = useReportExport({ client, items, info, notify: status.show });

  const closeItem = useCallback(
    (handle: string) => {
      void closeCall.run('Closing', (o) => client.closeItem({ handle }, o)).then((r) => {
        if (!r) return;
        // the selection effect below moves off a closed item
        setItems((prev) => (prev ?? []).filter((i) => i.handle !== handle));
      });
    },
    [client, closeCall.run],
  );

  const dragging = useWindowFileDrop(openFiles);

  // Keep a valid selection: the first heap profile when items appear.
  useEffect(() => {
    if (!items) return;
    const valid = selection.filter((h) => items.some((i) => i.handle === h));
    if (valid.length === selection.length && valid.length > 0) return;
    if (valid.length) setSelection(valid);
    else {
      const d = pickDefault(items);
      // Nothing to pick and nothing selected: leave the state alone (a new [] would re-run this
      // effect forever).
      if (!d && selection.length === 0) return;
      setSelection(d ? [d.handle] : []);
    }
  }, [items, selection]);

  const itemsRef = useRef(items);
  itemsRef.current = items;
  const [showFindings, setShowFindings] = useState(false);
  const [showMemory, setShowMemory] = useState(false);
  const onSelect = useCallback((handle: string, add: boolean) => {
    setShowFindings(false);
    setShowMemory(false);
    setSelection((cur) => nextSelection(cur, handle, add, itemsRef.current ?? []));
  }, []);

  // Findings over the workspace; "Open" shows the view + selection that proves one.
  const findings = useFindings(client, items);
  const [focus, setFocus] = useState<{ key: string; nonce: number; f: ViewFocus } | null>(null);
  const openFinding = useCallback((f: Finding) => {
    const nav = resolveLink(f.link, itemsRef.current ?? []);
    if (!nav.ok) return;
    const want = nav.focus;
    setSelection(nav.selection);
    setFocus((p) => ({ key: nav.selection.join('|'), nonce: (p?.nonce ?? 0) + 1, f: want }));
    const fn = nav.selectFunction;
    if (want.sampleType || fn) {
      setSettings((s) => ({ ...s, ...(want.sampleType ? { sampleType: want.sampleType } : {}), ...(fn ? { search: { text: fn, mode: 'exact' as const } } : {}) }));
    }
    setShowFindings(false);
  }, []);

  const viewed = selection.map((h) => items?.find((i) => i.handle === h)).filter((i): i is LoadedItem => !!i);
  const sv = selectionView(viewed);
  const item = sv.kind === 'single' ? sv.item : null;
  const pair = sv.kind === 'pair' ? ([sv.a, sv.b] as const) : null;
  const fx = focus && focus.key === selection.join('|') ? focus : null;
  const empty = items !== null && items.length === 0;

  // The Electron menu's view commands ('open-url': useLive; 'export-report': useReportExport).
  const focusSearch = useSearchFocusRequest(() => status.show('This view has no flame graph to search.'));
  useMenuCommands({
    compare: () => {
      const advice = compareAdvice(sv, items?.length ?? 0, isMac());
      if (advice) status.show(advice);
      else setShowFindings(false);
    },
    'show-findings': () => (items?.length ? setShowFindings(true) : status.show('No findings yet: open a profile, a goroutine dump or a heap dump first.')),
    'show-workspace': () => setShowFindings(false),
    'focus-search': () => {
      setShowFindings(false);
      focusSearch();
    },
  });
  const openErrors = (
    <>
      {openCall.error ? <ErrorBanner title="Could not open" error={openCall.error} onDismiss={openCall.clearError} /> : null}
      <OpenFailures failures={failures} onDismiss={() => setFailures([])} />
    </>
  );

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <Logo />
          <span className="brand__name">Heapscope</span>
        </div>
        <span className="app-header__tag text-muted">memory &amp; goroutine leaks in Go</span>
        <div className="toolbar-spacer" />
        {live.watchPill}
        {!empty ? (
          <>
            {report.headerButton}
            {live.headerButton}
            {byPath ? <OpenPathButton client={client} busy={openCall.busy} onOpen={openPath} /> : null}
            <button type="button" className="btn" onClick={openDemo} disabled={openCall.busy} data-testid="open-demo" aria-label="Open demo investigation">
              Demo
            </button>
            <button type="button" className="btn btn--primary" onClick={chooseFiles} disabled={openCall.busy} data-testid="open-button" aria-label="Open profile files">
              Open…
            </button>
          </>
        ) : null}
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          aria-hidden="true"
          tabIndex={-1}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            openFiles(files);
          }}
        />
      </header>
      <div className="app-body">
        {items === null ? (
          <div className="app-loading">
            {listCall.error ? <ErrorBanner title="Could not reach Heapscope" error={listCall.error} onRetry={loadList} /> : <span className="text-muted">Loading…</span>}
          </div>
        ) : empty ? (
          <StartScreen
            onOpen={chooseFiles}
            onOpenDemo={openDemo}
            onOpenUrl={live.openUrl}
            busy={openCall.busy}
            dragging={dragging}
            errors={openErrors}
            recent={<RecentFiles client={client} onOpened={applyOpen} />}
            {...(byPath ? { openPath: <OpenPathField client={client} busy={openCall.busy} onOpen={openPath} /> } : {})}
          />
        ) : (
          <>
            <aside className="sidebar" aria-label="Workspace">
              <div className="sidebar__title">
                Workspace <span className="count-badge">{items.length}</span>
              </div>
              {openErrors}
              {closeCall.error ? <ErrorBanner error={closeCall.error} onDismiss={closeCall.clearError} /> : null}
              <FindingsNav state={findings} active={showFindings} onOpen={() => setShowFindings(true)} />
              <MemoryNav active={showMemory && !showFindings} onOpen={() => (setShowFindings(false), setShowMemory(true))} />
              <ItemList items={items} selected={showFindings ? [] : selection} onSelect={onSelect} onClose={closeItem} />
              <p className="sidebar__hint text-muted" data-testid="compare-hint">
                {pair && !showFindings ? (
                  <>Comparing A and B · click one item to view it alone</>
                ) : sv.kind === 'series' && !showFindings ? (
                  <>
                    A series of {sv.items.length} · <kbd>Ctrl</kbd>-click to add or drop one
                  </>
                ) : (
                  <>
                    Pick one to view, two to compare, three or more as a series: <kbd>Ctrl</kbd>-click to add
                  </>
                )}
              </p>
            </aside>
            <main className="main">
              {showFindings ? (
                <FindingsPanel state={findings} items={items} onOpen={openFinding} />
              ) : showMemory ? (
                <MemoryView client={client} items={items} />
              ) : pair && sv.kind === 'pair' && sv.pair === 'profiles' ? (
                <CompareView
                  client={client}
                  a={pair[0]}
                  b={pair[1]}
                  settings={settings}
                  onSettingsChange={setSettings}
                  onSwap={() => setSelection([pair[1].handle, pair[0].handle])}
                  onView={(handle) => setSelection([handle])}
                  focus={fx ? ({ ...fx.f, nonce: fx.nonce } as CompareFocus) : undefined}
                />
              ) : pair && sv.kind === 'pair' ? (
                (() => {
                  const View = sv.pair === 'heapdumps' ? HeapCompareView : GoroutinePairView;
                  return (
                    <View
                      key={pair.map((i) => i.handle).join('|')}
                      client={client}
                      a={pair[0]}
                      b={pair[1]}
                      onSwap={() => setSelection([pair[1].handle, pair[0].handle])}
                      onView={(handle) => setSelection([handle])}
                      focus={fx ? { ...(fx.f as object), nonce: fx.nonce } : undefined}
                    />
                  );
                })()
              ) : sv.kind === 'series' ? (
                <SeriesView
                  client={client}
                  items={seriesOrder(sv.items)}
                  settings={settings}
                  onSettingsChange={setSettings}
                  onView={(handle) => setSelection([handle])}
                  focus={fx ? { ...fx.f, nonce: fx.nonce } : undefined}
                />
              ) : item && item.kind === 'profile' ? (
                <ProfileView
                  key={fx ? `${item.handle}#${fx.nonce}` : item.handle}
                  client={client}
                  item={item}
                  settings={settings}
                  onSettingsChange={setSettings}
                  initialFlame={takeInlineFlame}
                />
              ) : item && item.kind === 'heapdump' ? (
                <HeapView
                  key={`${item.handle}@${item.loadedAt}${fx ? `#${fx.nonce}` : ''}`}
                  client={client}
                  item={item}
                  onItemChange={(it) => applyOpen({ items: [it], failures: [] })}
                  initialSelection={fx?.f}
                />
              ) : item && item.kind === 'gctrace' ? (
                <GcTraceView key={item.handle} client={client} item={item} />
              ) : (
                <div className="panel__empty panel__empty--page">Select an item.</div>
              )}
            </main>
          </>
        )}
      </div>
      <StatusBar info={info} notice={status.notice} />
      {live.dialog}
      {report.dialog}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay__card">Drop to open</div>
        </div>
      ) : null}
    </div>
  );
}

export function App() {
  return (
    <TasksProvider>
      <Shell />
    </TasksProvider>
  );
}
