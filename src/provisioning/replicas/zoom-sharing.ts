// The Zoom client's shared state over the store, for replicas sharing a PostgreSQL database: the account's rate
// budget (one GCRA row per category) and the app's sealed token (one renewal at a time, under a store lock).
import type { CoordinationStore } from "../../store/types.js";
import type { RateBudget, SharedToken, SharedTokens } from "../../zoom/index.js";
import type { ZoomRateCategory } from "../../zoom/types.js";

const budgets = new WeakMap<CoordinationStore, Map<string, RateBudget>>();

/** The account's budget in the store: one object per store and account, so every client of it paces together. */
export function storeRateBudget(store: CoordinationStore, accountId: string): RateBudget {
  const known = budgets.get(store) ?? new Map<string, RateBudget>();
  budgets.set(store, known);
  let budget = known.get(accountId);
  if (!budget) {
    const key = (category: ZoomRateCategory): string => `${accountId}\n${category}`;
    budget = {
      reserve: (category, request) => store.reserveRateBy(key(category), request),
      pause: (category, untilMs) => store.pauseRate(key(category), untilMs),
    };
    known.set(accountId, budget);
  }
  return budget;
}

/** The app's token in the store. Keys are the token provider's app keys (they hold a digest of the secret). */
export function storeSharedTokens(store: CoordinationStore): SharedTokens {
  return {
    async get(key): Promise<SharedToken | undefined> {
      const found = await store.getToken(key);
      return found ? { sealed: found.sealed, expiresAt: found.expiresAt, renewAt: found.renewAt } : undefined;
    },
    put: (key, token) => store.putToken({ appKey: key, ...token }),
    drop: (key, sealed) => store.dropToken(key, sealed),
    async exclusive(key, work) {
      const outcome = await store.withLock(`oauth\n${key}`, work);
      if (!outcome.acquired) throw new Error("store: the token renewal lock was not granted");
      return outcome.value;
    },
  };
}
