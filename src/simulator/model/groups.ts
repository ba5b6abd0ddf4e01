// Groups and their memberships. A membership map keeps join order (its value is a join sequence
// number that serves as the paging cursor); users keep the mirror list `groupIds`.

export interface GroupRecord {
  seq: number;
  id: string;
  name: string;
  nameKey: string;
  /** userId → join sequence number, in join order. */
  members: Map<string, number>;
  createdAt: number;
}

export function groupNameKey(name: string): string {
  return name.trim().toLowerCase();
}

export class GroupStore {
  private readonly byId = new Map<string, GroupRecord>();
  private readonly byName = new Map<string, GroupRecord>();
  private seq = 0;
  private joinSeq = 0;

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  nextJoinSeq(): number {
    this.joinSeq += 1;
    return this.joinSeq;
  }

  size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<GroupRecord> {
    return this.byId.values();
  }

  get(id: string): GroupRecord | undefined {
    return this.byId.get(id);
  }

  getByName(name: string): GroupRecord | undefined {
    return this.byName.get(groupNameKey(name));
  }

  add(group: GroupRecord): void {
    this.byId.set(group.id, group);
    this.byName.set(group.nameKey, group);
  }

  remove(group: GroupRecord): void {
    this.byId.delete(group.id);
    this.byName.delete(group.nameKey);
  }

  rename(group: GroupRecord, name: string): void {
    this.byName.delete(group.nameKey);
    group.name = name;
    group.nameKey = groupNameKey(name);
    this.byName.set(group.nameKey, group);
  }

  /** Groups created after the cursor `afterSeq`, in creation order. */
  page(afterSeq: number, limit: number): { items: GroupRecord[]; hasMore: boolean } {
    const items: GroupRecord[] = [];
    for (const g of this.byId.values()) {
      if (g.seq <= afterSeq) continue;
      if (items.length === limit) return { items, hasMore: true };
      items.push(g);
    }
    return { items, hasMore: false };
  }

  clear(): void {
    this.byId.clear();
    this.byName.clear();
  }
}
