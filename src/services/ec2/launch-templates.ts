/**
 * Launch templates: named, versioned sets of RunInstances parameters. A template keeps its
 * default and latest version numbers; each version keeps its data as the request gave it
 * (RequestLaunchTemplateData), which DescribeLaunchTemplateVersions reports as is.
 */
import type {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateResult,
  DeleteLaunchTemplateRequest,
  DeleteLaunchTemplateResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  LaunchTemplate,
  ModifyLaunchTemplateRequest,
  ModifyLaunchTemplateResult,
  RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { pageOf } from './pages.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';

export interface TemplateRow {
  template_id: string;
  name: string;
  default_version: number;
  /** The highest version that still exists: what `$Latest` names. */
  latest_version: number;
  /** The highest number ever given (the column latest_version): a deleted version's number is not reused. */
  numbered: number;
  created_at: number;
  created_by: string;
}

export interface VersionRow {
  version: number;
  description: string | null;
  data: string;
  created_at: number;
  created_by: string;
}

// the stored latest_version is the highest number made; $Latest is the highest that remains
const TEMPLATE_COLUMNS = `template_id, name, default_version, latest_version AS numbered, created_at, created_by,
  (SELECT MAX(v.version) FROM ec2_launch_template_versions v WHERE v.account = t.account
    AND v.region = t.region AND v.template_id = t.template_id) AS latest_version`;
export const VERSION_COLUMNS = 'version, description, data, created_at, created_by';

const templateStatements = perDb((db) => ({
  byId: db.prepare<[string, string, string], TemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM ec2_launch_templates t WHERE account = ? AND region = ? AND template_id = ?`,
  ),
  byName: db.prepare<[string, string, string], TemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM ec2_launch_templates t WHERE account = ? AND region = ? AND name = ?`,
  ),
  all: db.prepare<[string, string], TemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM ec2_launch_templates t WHERE account = ? AND region = ? ORDER BY template_id`,
  ),
  insert: db.prepare<[string, string, string, string, number, string]>(
    `INSERT INTO ec2_launch_templates (account, region, template_id, name, default_version, latest_version, created_at, created_by)
      VALUES (?, ?, ?, ?, 1, 1, ?, ?)`,
  ),
  setDefault: db.prepare<[number, string, string, string]>(
    'UPDATE ec2_launch_templates SET default_version = ? WHERE account = ? AND region = ? AND template_id = ?',
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_launch_templates WHERE account = ? AND region = ? AND template_id = ?',
  ),
  version: db.prepare<[string, string, string, number], VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ec2_launch_template_versions WHERE account = ? AND region = ? AND template_id = ? AND version = ?`,
  ),
  insertVersion: db.prepare<[string, string, string, number, string | null, string, number, string]>(
    `INSERT INTO ec2_launch_template_versions (account, region, template_id, version, description, data, created_at, created_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  removeVersions: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_launch_template_versions WHERE account = ? AND region = ? AND template_id = ?',
  ),
}));

/** A name AWS accepts: 3 to 128 of letters, digits and - ( ) . / _ */
const NAME_PATTERN = /^[A-Za-z0-9\-()./_]{3,128}$/;

const templateNotFoundByName = () =>
  ec2Error(
    'InvalidLaunchTemplateName.NotFoundException',
    'At least one of the launch templates specified in the request does not exist.',
  );

export const templateNotFoundById = (id: string) =>
  ec2Error(
    'InvalidLaunchTemplateId.NotFound',
    `The specified launch template, with template ID ${id}, does not exist.`,
  );

export const versionNotFound = (version: string | number, templateId: string) =>
  ec2Error(
    'InvalidLaunchTemplateId.VersionNotFound',
    `Could not find the specified version ${version} for the launch template with ID ${templateId}.`,
  );

function checkTemplateId(id: string): void {
  if (!isWellFormedId('lt', id))
    throw ec2Error(
      'InvalidLaunchTemplateId.Malformed',
      `The specified ID for the launch template, ${id}, is not valid. Try again with a valid ID.`,
    );
}

function checkTemplateName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw ec2Error(
      'InvalidLaunchTemplateName.MalformedException',
      'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
    );
}

/** The template a request names by id or by name (exactly one of them). */
export function requireTemplate(
  ctx: RequestContext,
  ref: { LaunchTemplateId?: string; LaunchTemplateName?: string },
): TemplateRow {
  const s = templateStatements(ctx.db);
  if (ref.LaunchTemplateId && ref.LaunchTemplateName)
    throw invalidParameterCombination(
      'Specify either the launch template ID or the launch template name, but not both.',
    );
  if (ref.LaunchTemplateId) {
    checkTemplateId(ref.LaunchTemplateId);
    const row = s.byId.get(ctx.accountId, ctx.region, ref.LaunchTemplateId);
    if (!row) throw templateNotFoundById(ref.LaunchTemplateId);
    return row;
  }
  if (ref.LaunchTemplateName) {
    checkTemplateName(ref.LaunchTemplateName);
    const row = s.byName.get(ctx.accountId, ctx.region, ref.LaunchTemplateName);
    if (!row) throw templateNotFoundByName();
    return row;
  }
  throw missingParameter('launchTemplateId or launchTemplateName');
}

/** `$Latest`, `$Default` or a version number: the number it names (which may not exist). */
export function versionNumberOf(template: TemplateRow, version: string | undefined): number {
  if (version === undefined || version === '$Default') return template.default_version;
  if (version === '$Latest') return template.latest_version;
  if (!/^[1-9][0-9]{0,8}$/.test(version))
    throw invalidParameterValue(
      `The launch template version '${version}' is not valid. Specify a version number, $Latest or $Default.`,
    );
  return Number(version);
}

export type ResolvedLaunchTemplate = RequestLaunchTemplateData & {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  VersionNumber: number;
};

/** What RunInstances launches from: a template version's data (default version when none is named). */
export function resolveLaunchTemplate(
  ctx: RequestContext,
  spec: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string },
): ResolvedLaunchTemplate {
  const template = requireTemplate(ctx, spec);
  const number = versionNumberOf(template, spec.Version);
  const version = templateStatements(ctx.db).version.get(
    ctx.accountId,
    ctx.region,
    template.template_id,
    number,
  );
  if (!version) throw versionNotFound(spec.Version ?? number, template.template_id);
  return {
    ...(JSON.parse(version.data) as RequestLaunchTemplateData),
    LaunchTemplateId: template.template_id,
    LaunchTemplateName: template.name,
    VersionNumber: number,
  };
}

/** One version of a template, or undefined. */
export function versionRow(ctx: RequestContext, templateId: string, version: number): VersionRow | undefined {
  return templateStatements(ctx.db).version.get(ctx.accountId, ctx.region, templateId, version);
}

/** Every template of the account and region, by id. */
export function allTemplates(ctx: RequestContext): TemplateRow[] {
  return templateStatements(ctx.db).all.all(ctx.accountId, ctx.region);
}

export function launchTemplateExists(ctx: RequestContext, id: string): boolean {
  return templateStatements(ctx.db).byId.get(ctx.accountId, ctx.region, id) !== undefined;
}

export function createdByOf(ctx: RequestContext): string {
  return ctx.caller.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
}

export function checkVersionDescription(description: string | undefined): void {
  if (description !== undefined && description.length > 255)
    throw invalidParameterValue('The version description must be 255 characters or fewer.');
}

function describeTemplate(row: TemplateRow): LaunchTemplate {
  return {
    LaunchTemplateId: row.template_id,
    LaunchTemplateName: row.name,
    CreateTime: new Date(row.created_at),
    CreatedBy: row.created_by,
    DefaultVersionNumber: row.default_version,
    LatestVersionNumber: row.latest_version,
  };
}

export function CreateLaunchTemplate(
  input: CreateLaunchTemplateRequest,
  ctx: RequestContext,
): CreateLaunchTemplateResult {
  const name = input.LaunchTemplateName;
  if (!name) throw missingParameter('LaunchTemplateName');
  checkTemplateName(name);
  if (!input.LaunchTemplateData) throw missingParameter('LaunchTemplateData');
  checkVersionDescription(input.VersionDescription);
  const s = templateStatements(ctx.db);
  if (s.byName.get(ctx.accountId, ctx.region, name))
    throw ec2Error(
      'InvalidLaunchTemplateName.AlreadyExistsException',
      `Launch template name already in use.`,
    );
  const tags = tagsBySpecification(input.TagSpecifications, ['launch-template']).get('launch-template') ?? [];
  checkDryRun(input);
  const now = ctx.now();
  const id = newId('lt');
  const createdBy = createdByOf(ctx);
  s.insert.run(ctx.accountId, ctx.region, id, name, now, createdBy);
  s.insertVersion.run(
    ctx.accountId,
    ctx.region,
    id,
    1,
    input.VersionDescription ?? null,
    JSON.stringify(input.LaunchTemplateData),
    now,
    createdBy,
  );
  if (tags.length > 0) writeTags(ctx, id, tags);
  const row = s.byId.get(ctx.accountId, ctx.region, id) as TemplateRow;
  return { LaunchTemplate: { ...describeTemplate(row), Tags: tags.length > 0 ? [...tags] : undefined } };
}

export function ModifyLaunchTemplate(
  input: ModifyLaunchTemplateRequest,
  ctx: RequestContext,
): ModifyLaunchTemplateResult {
  const template = requireTemplate(ctx, input);
  const s = templateStatements(ctx.db);
  let defaultVersion = template.default_version;
  if (input.DefaultVersion !== undefined) {
    defaultVersion = versionNumberOf(template, input.DefaultVersion);
    if (!s.version.get(ctx.accountId, ctx.region, template.template_id, defaultVersion))
      throw versionNotFound(input.DefaultVersion, template.template_id);
  }
  checkDryRun(input);
  s.setDefault.run(defaultVersion, ctx.accountId, ctx.region, template.template_id);
  return { LaunchTemplate: describeTemplate({ ...template, default_version: defaultVersion }) };
}

const TEMPLATE_FIELDS: FilterFields<LaunchTemplate> = {
  'launch-template-name': (t) => t.LaunchTemplateName,
  'launch-template-id': (t) => t.LaunchTemplateId,
  'create-time': (t) => t.CreateTime?.toISOString(),
};

export function DescribeLaunchTemplates(
  input: DescribeLaunchTemplatesRequest,
  ctx: RequestContext,
): DescribeLaunchTemplatesResult {
  const matches = filterMatcher(input.Filters, TEMPLATE_FIELDS);
  checkDryRun(input);
  const rows = namedTemplates(ctx, input.LaunchTemplateIds ?? [], input.LaunchTemplateNames ?? []);
  const tags = tagsByResource(ctx, 'lt');
  const templates: LaunchTemplate[] = [];
  for (const row of rows) {
    const template = describeTemplate(row);
    const templateTags = tags.get(row.template_id) ?? [];
    if (!matches(template, templateTags)) continue;
    if (templateTags.length > 0) template.Tags = templateTags;
    templates.push(template);
  }
  const page = pageOf(templates, (t) => t.LaunchTemplateId as string, input, { min: 1, max: 200 });
  return { LaunchTemplates: page.items, NextToken: page.nextToken };
}

/** The templates named by id or name (each must exist), or every template. */
function namedTemplates(
  ctx: RequestContext,
  ids: readonly string[],
  names: readonly string[],
): TemplateRow[] {
  const s = templateStatements(ctx.db);
  if (ids.length === 0 && names.length === 0) return s.all.all(ctx.accountId, ctx.region);
  const found = new Map<string, TemplateRow>();
  for (const id of ids) found.set(id, requireTemplate(ctx, { LaunchTemplateId: id }));
  for (const name of names) {
    const row = requireTemplate(ctx, { LaunchTemplateName: name });
    found.set(row.template_id, row);
  }
  return [...found.values()].sort((a, b) => (a.template_id < b.template_id ? -1 : 1));
}

export function DeleteLaunchTemplate(
  input: DeleteLaunchTemplateRequest,
  ctx: RequestContext,
): DeleteLaunchTemplateResult {
  const template = requireTemplate(ctx, input);
  checkDryRun(input);
  const s = templateStatements(ctx.db);
  s.removeVersions.run(ctx.accountId, ctx.region, template.template_id);
  s.remove.run(ctx.accountId, ctx.region, template.template_id);
  dropTags(ctx, template.template_id);
  return { LaunchTemplate: describeTemplate(template) };
}
