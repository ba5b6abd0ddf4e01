// A SCIM user keeps the id it was created with. Zoom gives a new id to the user a re-sent invitation creates
// (after a cancelled or expired one), so user ids going to Zoom are translated to the current Zoom id, and ids
// coming back to the SCIM id. Only the gateway (user-gateway.ts) translates; every other module keeps one id.
import type { LifecycleStore } from "../../store/types.js";

export class UserAliases {
  private readonly toZoom = new Map<string, string>();
  private readonly toScim = new Map<string, string>();
  private loading: Promise<void> | undefined;
  /** The store's alias generation the maps were read at (shared stores). */
  private generation: number | undefined;

  constructor(
    private readonly tenant: string,
    private readonly store: LifecycleStore,
    /**
     * Other replicas may add aliases: before every translation the store's alias generation is read (one row), and
     * the aliases again only when it moved (an applied preview plan leaves one per user it created).
     */
    private readonly shared = false,
  ) {}

  /** Loads the tenant's aliases (once, unless the store is shared and they changed since). */
  async ready(): Promise<void> {
    if (!this.shared) {
      this.loading ??= this.load();
      return this.loading;
    }
    // Read before the aliases: a change between the two is seen at the next translation.
    const generation = await this.store.aliasGeneration(this.tenant);
    if (generation === this.generation) return;
    await this.load();
    this.generation = generation;
  }

  private async load(): Promise<void> {
    const aliases = await this.store.listAliases(this.tenant);
    if (this.shared) {
      this.toZoom.clear();
      this.toScim.clear();
    }
    for (const { id, zoomId } of aliases) this.remember(id, zoomId);
  }

  /** The Zoom id (or the email unchanged) for a SCIM id. */
  async zoomId(idOrEmail: string): Promise<string> {
    await this.ready();
    return idOrEmail.includes("@") ? idOrEmail : (this.toZoom.get(idOrEmail) ?? idOrEmail);
  }

  async zoomIds(ids: readonly string[]): Promise<string[]> {
    await this.ready();
    return ids.map((id) => this.toZoom.get(id) ?? id);
  }

  /** The SCIM id for a Zoom id (aliases must be loaded: every path in calls `zoomId` or `back` first). */
  scimId(zoomId: string): string {
    return this.toScim.get(zoomId) ?? zoomId;
  }

  /** Items Zoom answered with, their user ids translated back to SCIM ids. */
  async back<T extends { id?: string }>(items: T[]): Promise<T[]> {
    await this.ready();
    // Copied only when the id changes: a 100,000-user list has a handful of aliases at most.
    return items.map((item) => {
      if (item.id === undefined) return item;
      const id = this.scimId(item.id);
      return id === item.id ? item : { ...item, id };
    });
  }

  /** Records that SCIM user `id` is now Zoom user `zoomId` (the same id needs no alias). */
  async set(id: string, zoomId: string): Promise<void> {
    await this.ready();
    this.forget(id);
    if (id === zoomId) {
      await this.store.removeAlias(this.tenant, id);
      return;
    }
    await this.store.putAlias(this.tenant, { id, zoomId });
    this.remember(id, zoomId);
  }

  /**
   * Zoom made `zoomId` for the planned user `plannedId` (an applied preview plan): the SCIM id standing for it
   * (itself, or the one a re-sent invitation moved on to it) maps to Zoom's. A planned id moved on to a later
   * create of the plan is no IdP's id any more: nothing maps to this one.
   */
  async adopt(plannedId: string, zoomId: string): Promise<void> {
    await this.ready();
    const id = this.scimId(plannedId);
    if (id === plannedId && this.toZoom.has(plannedId)) return;
    await this.set(id, zoomId);
  }

  /** The Zoom user is gone (its store rows are removed by the caller); the SCIM id then means nothing in Zoom. */
  async drop(id: string): Promise<void> {
    await this.ready();
    this.forget(id);
  }

  private remember(id: string, zoomId: string): void {
    this.toZoom.set(id, zoomId);
    this.toScim.set(zoomId, id);
  }

  private forget(id: string): void {
    const zoomId = this.toZoom.get(id);
    if (zoomId !== undefined) this.toScim.delete(zoomId);
    this.toZoom.delete(id);
  }
}
