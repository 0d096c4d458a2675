import { newId } from "../../domain/ids.js";
import type { OrganizationRecord, ProjectRecord, UserRecord } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import { insertAdminKey } from "../admin-keys/admin-keys.js";

export interface NewOrganization {
  org: OrganizationRecord;
  owner: UserRecord;
  defaultProject: ProjectRecord;
  adminKey: { id: string; value: string } | null;
}

export interface SeedOrganizationInput {
  name: string;
  ownerEmail: string;
  ownerName: string;
  /** Create an admin key for the new organization (value returned once). */
  withAdminKey: boolean;
  instanceAdmin: boolean;
  /** A pre-generated admin key value (KEYPLANE_ADMIN_KEY) to adopt instead of minting one. */
  presetAdminKey?: string;
}

/** Writes an organization with its owner, its Default project and optionally an admin key. */
export const seedOrganization = async (
  tx: StoreRepos,
  secret: string,
  now: number,
  input: SeedOrganizationInput,
): Promise<NewOrganization> => {
  const org: OrganizationRecord = { id: newId.organization(), name: input.name, createdAt: now };
  await tx.organizations.insert(org);
  const owner: UserRecord = {
    id: newId.user(),
    orgId: org.id,
    email: input.ownerEmail,
    name: input.ownerName,
    role: "owner",
    addedAt: now,
    passwordHash: null,
  };
  await tx.users.insert(owner);
  const defaultProject: ProjectRecord = {
    id: newId.project(),
    orgId: org.id,
    name: "Default project",
    status: "active",
    createdAt: now,
    archivedAt: null,
    externalKeyId: null,
    residency: null,
    modelMode: null,
    modelIds: [],
  };
  await tx.projects.insert(defaultProject);
  await tx.projectUsers.upsert({
    projectId: defaultProject.id,
    userId: owner.id,
    role: "owner",
    addedAt: now,
  });
  let adminKey: NewOrganization["adminKey"] = null;
  if (input.withAdminKey) {
    const { key, value } = await insertAdminKey(
      tx,
      secret,
      now,
      {
        orgId: org.id,
        name: input.instanceAdmin ? "Instance owner key" : "Organization admin key",
        expiresInSeconds: null,
        scopes: [],
        ownerUserId: owner.id,
        instanceAdmin: input.instanceAdmin,
      },
      input.presetAdminKey,
    );
    adminKey = { id: key.id, value };
  }
  return { org, owner, defaultProject, adminKey };
};
