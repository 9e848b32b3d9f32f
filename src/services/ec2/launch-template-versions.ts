/**
 * A launch template's versions: CreateLaunchTemplateVersion (optionally starting from a
 * SourceVersion, whose top-level parameters the new data overrides), DescribeLaunchTemplateVersions
 * and DeleteLaunchTemplateVersions (never the default version).
 */
import type {
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DeleteLaunchTemplateVersionsRequest,
  DeleteLaunchTemplateVersionsResponseErrorItem,
  DeleteLaunchTemplateVersionsResponseSuccessItem,
  DeleteLaunchTemplateVersionsResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  LaunchTemplateVersion,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, missingParameter } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import {
  allTemplates,
  checkVersionDescription,
  createdByOf,
  requireTemplate,
  type TemplateRow,
  VERSION_COLUMNS,
  type VersionRow,
  versionNotFound,
  versionNumberOf,
  versionRow,
} from './launch-templates.js';
import { pageOf } from './pages.js';

const MAX_VERSIONS = 10000;

const statements = perDb((db) => ({
  versions: db.prepare<[string, string, string], VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ec2_launch_template_versions WHERE account = ? AND region = ? AND template_id = ? ORDER BY version`,
  ),
  insert: db.prepare<[string, string, string, number, string | null, string, number, string]>(
    `INSERT INTO ec2_launch_template_versions (account, region, template_id, version, description, data, created_at, created_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  setLatest: db.prepare<[number, string, string, string]>(
    'UPDATE ec2_launch_templates SET latest_version = ? WHERE account = ? AND region = ? AND template_id = ?',
  ),
  remove: db.prepare<[string, string, string, number]>(
    'DELETE FROM ec2_launch_template_versions WHERE account = ? AND region = ? AND template_id = ? AND version = ?',
  ),
}));

export function CreateLaunchTemplateVersion(
  input: CreateLaunchTemplateVersionRequest,
  ctx: RequestContext,
): CreateLaunchTemplateVersionResult {
  const template = requireTemplate(ctx, input);
  if (!input.LaunchTemplateData) throw missingParameter('LaunchTemplateData');
  checkVersionDescription(input.VersionDescription);
  let data: RequestLaunchTemplateData = input.LaunchTemplateData;
  if (input.SourceVersion !== undefined) {
    const number = versionNumberOf(template, input.SourceVersion);
    const source = versionRow(ctx, template.template_id, number);
    if (!source) throw versionNotFound(input.SourceVersion, template.template_id);
    data = { ...(JSON.parse(source.data) as RequestLaunchTemplateData), ...data };
  }
  if (template.numbered >= MAX_VERSIONS)
    throw ec2Error(
      'LaunchTemplateVersionLimitExceeded',
      `The launch template ${template.template_id} has reached its limit of ${MAX_VERSIONS} versions.`,
    );
  checkDryRun(input);
  const version = template.numbered + 1;
  const now = ctx.now();
  const createdBy = createdByOf(ctx);
  const stored = JSON.stringify(data);
  const s = statements(ctx.db);
  s.insert.run(
    ctx.accountId,
    ctx.region,
    template.template_id,
    version,
    input.VersionDescription ?? null,
    stored,
    now,
    createdBy,
  );
  s.setLatest.run(version, ctx.accountId, ctx.region, template.template_id);
  const row: VersionRow = {
    version,
    description: input.VersionDescription ?? null,
    data: stored,
    created_at: now,
    created_by: createdBy,
  };
  return {
    LaunchTemplateVersion: describeVersion({ ...template, latest_version: version, numbered: version }, row),
  };
}

function describeVersion(template: TemplateRow, row: VersionRow): LaunchTemplateVersion {
  return {
    LaunchTemplateId: template.template_id,
    LaunchTemplateName: template.name,
    VersionNumber: row.version,
    VersionDescription: row.description ?? undefined,
    CreateTime: new Date(row.created_at),
    CreatedBy: row.created_by,
    DefaultVersion: row.version === template.default_version,
    // the request's members carry the same names as the response's
    LaunchTemplateData: JSON.parse(row.data) as ResponseLaunchTemplateData,
  };
}

const VERSION_FIELDS: FilterFields<LaunchTemplateVersion> = {
  'create-time': (v) => v.CreateTime?.toISOString(),
  'ebs-optimized': (v) => v.LaunchTemplateData?.EbsOptimized,
  'iam-instance-profile': (v) =>
    v.LaunchTemplateData?.IamInstanceProfile?.Arn ?? v.LaunchTemplateData?.IamInstanceProfile?.Name,
  'image-id': (v) => v.LaunchTemplateData?.ImageId,
  'instance-type': (v) => v.LaunchTemplateData?.InstanceType,
  'is-default-version': (v) => v.DefaultVersion,
  'kernel-id': (v) => v.LaunchTemplateData?.KernelId,
  'ram-disk-id': (v) => v.LaunchTemplateData?.RamDiskId,
};

export function DescribeLaunchTemplateVersions(
  input: DescribeLaunchTemplateVersionsRequest,
  ctx: RequestContext,
): DescribeLaunchTemplateVersionsResult {
  const matches = filterMatcher(input.Filters, VERSION_FIELDS);
  const templates = templatesOf(ctx, input);
  const min = boundOf(input.MinVersion, 'MinVersion');
  const max = boundOf(input.MaxVersion, 'MaxVersion');
  checkDryRun(input);
  const versions: LaunchTemplateVersion[] = [];
  for (const template of templates) {
    for (const row of versionRows(ctx, template, input.Versions ?? [])) {
      if ((min !== undefined && row.version < min) || (max !== undefined && row.version > max)) continue;
      const version = describeVersion(template, row);
      if (matches(version, [])) versions.push(version);
    }
  }
  const keyOf = (v: LaunchTemplateVersion) =>
    `${v.LaunchTemplateId}\u0000${String(v.VersionNumber).padStart(10, '0')}`;
  const page = pageOf(versions, keyOf, input, { min: 1, max: 200 });
  return { LaunchTemplateVersions: page.items, NextToken: page.nextToken };
}

/** Without a template named, Versions may only hold `$Latest` and `$Default`, across every template. */
function templatesOf(ctx: RequestContext, input: DescribeLaunchTemplateVersionsRequest): TemplateRow[] {
  if (input.LaunchTemplateId || input.LaunchTemplateName) return [requireTemplate(ctx, input)];
  const aliases = input.Versions ?? [];
  if (aliases.length === 0 || aliases.some((v) => v !== '$Latest' && v !== '$Default'))
    throw missingParameter('launchTemplateId or launchTemplateName');
  return allTemplates(ctx);
}

function boundOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(value)) throw invalidParameterValue(`Invalid value '${value}' for ${name}.`);
  return Number(value);
}

/** The versions asked for (each must exist), or all of them, in version order. */
function versionRows(ctx: RequestContext, template: TemplateRow, asked: readonly string[]): VersionRow[] {
  if (asked.length === 0)
    return statements(ctx.db).versions.all(ctx.accountId, ctx.region, template.template_id);
  const rows = new Map<number, VersionRow>();
  for (const version of asked) {
    const number = versionNumberOf(template, version);
    const row = versionRow(ctx, template.template_id, number);
    if (!row) throw versionNotFound(version, template.template_id);
    rows.set(number, row);
  }
  return [...rows.values()].sort((a, b) => a.version - b.version);
}

export function DeleteLaunchTemplateVersions(
  input: DeleteLaunchTemplateVersionsRequest,
  ctx: RequestContext,
): DeleteLaunchTemplateVersionsResult {
  const template = requireTemplate(ctx, input);
  const asked = input.Versions ?? [];
  if (asked.length === 0) throw missingParameter('LaunchTemplateVersion');
  checkDryRun(input);
  const s = statements(ctx.db);
  const deleted: DeleteLaunchTemplateVersionsResponseSuccessItem[] = [];
  const failed: DeleteLaunchTemplateVersionsResponseErrorItem[] = [];
  const ids = { LaunchTemplateId: template.template_id, LaunchTemplateName: template.name };
  for (const version of asked) {
    const number = /^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : undefined;
    const failure = (Code: 'launchTemplateVersionDoesNotExist' | 'unexpectedError', Message: string) =>
      failed.push({ ...ids, VersionNumber: number, ResponseError: { Code, Message } });
    if (number === undefined) failure('unexpectedError', `The version number '${version}' is not valid.`);
    else if (number === template.default_version)
      failure(
        'unexpectedError',
        'Cannot delete the default version of a launch template. Use DeleteLaunchTemplate instead.',
      );
    else if (!versionRow(ctx, template.template_id, number))
      failure(
        'launchTemplateVersionDoesNotExist',
        `The specified launch template version ${number} does not exist.`,
      );
    else {
      s.remove.run(ctx.accountId, ctx.region, template.template_id, number);
      deleted.push({ ...ids, VersionNumber: number });
    }
  }
  return {
    SuccessfullyDeletedLaunchTemplateVersions: deleted,
    UnsuccessfullyDeletedLaunchTemplateVersions: failed,
  };
}
