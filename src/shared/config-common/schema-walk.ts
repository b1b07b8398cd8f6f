// The schema-driven walk both config kinds run first: unknown keys (with suggestions),
// required keys, and the type of every value per its FieldSpec kind. What differs by kind
// (the words for a missing section, where a misplaced key belongs, which size units are
// valid, values another rule checks better) comes in through a SchemaPolicy.
import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';
import { formatKeyPath, type KeyPath } from '../diagnostics';
import type { FieldSpec } from './types';
import type { RuleContext } from './rule-context';
import { isStrictSemver } from './semver-strict';
import { closest } from './suggest';
import { parseDuration } from './units';
import { isEmptyNode, keyText, sourceText } from './nodes';
import { isHostName } from './value-checks';

export interface SchemaPolicy {
  fields: readonly FieldSpec[];
  /** What the document must be, when it is not a map. */
  rootMessage: string;
  /** Reports a required key that is missing (`present`: written with no value). */
  missing(ctx: RuleContext, field: FieldSpec, path: KeyPath, present: boolean): void;
  /** A reason that replaces the "did you mean" for this unknown key, if any. */
  unknownReason?(key: string, path: KeyPath): string | undefined;
  /** Where an unknown key really belongs, when no known key is close to it. */
  belongsUnder?(key: string, path: KeyPath): string | undefined;
  /** The words after "the ... rejects unknown keys" (e.g. 'the upload tool'). */
  rejecter: string;
  /** Checks a 'size' value (units differ by kind). */
  checkSize(ctx: RuleContext, node: unknown, path: KeyPath, src: string): void;
  /** Checks a 'semver-range' value. */
  checkRange?(ctx: RuleContext, node: unknown, path: KeyPath, src: string): void;
  /** Index-free names (`items.images.archInfo.architecture`) of lists whose items another rule checks. */
  itemsCheckedElsewhere?: ReadonlySet<string>;
  /** Object lists whose items may also be a bare string. */
  bareStringItems?: ReadonlySet<string>;
  /** Fields whose empty value another rule reports with a better message. */
  emptyCheckedElsewhere?: ReadonlySet<string>;
  /** Fields whose value (not its presence) another rule checks with better words. */
  valueCheckedElsewhere?: ReadonlySet<string>;
}

/** A key path's name without list indices: items[0].images[1].path → items.images.path. */
export function fieldName(path: KeyPath): string {
  return path.filter((p) => typeof p === 'string').join('.');
}

export function walkSchema(ctx: RuleContext, policy: SchemaPolicy): void {
  new SchemaWalk(ctx, policy).run();
}

class SchemaWalk {
  constructor(
    private readonly ctx: RuleContext,
    private readonly policy: SchemaPolicy,
  ) {}

  run(): void {
    const root = this.ctx.parsed.doc.contents;
    if (isMap(root)) {
      this.checkMap(this.policy.fields, root, []);
      return;
    }
    if (!isEmptyNode(root)) this.ctx.error('invalid-type', [], 'value', this.policy.rootMessage);
    this.reportMissing(this.policy.fields, []);
  }

  private checkMap(fields: readonly FieldSpec[], map: YAMLMap<unknown, unknown>, path: KeyPath): void {
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const key = keyText(pair);
      if (key === undefined) {
        this.ctx.error('invalid-key', path, 'key', `${where(path)} has a key that is not a plain name; use simple keys.`);
        continue;
      }
      const field = fields.find((f) => f.key === key);
      if (!field) this.unknownKey(key, fields, path);
      else this.checkField(field, pair.value, [...path, key]);
    }
    this.reportMissing(fields, path, map);
  }

  private reportMissing(fields: readonly FieldSpec[], path: KeyPath, map?: YAMLMap<unknown, unknown>): void {
    for (const field of fields) {
      if (!field.required) continue;
      if (map && map.items.some((p) => isPair(p) && keyText(p) === field.key)) continue;
      this.policy.missing(this.ctx, field, [...path, field.key], false);
    }
  }

  private unknownKey(key: string, fields: readonly FieldSpec[], path: KeyPath): void {
    const here = path.length === 0 ? 'at the top level' : `in ${formatKeyPath(path)}`;
    const reason = this.policy.unknownReason?.(key, path);
    const suggestion = closest(key, fields.map((f) => f.key));
    let hint: string;
    if (reason) hint = reason;
    else if (suggestion) hint = `did you mean '${suggestion}'?`;
    else {
      const elsewhere = this.policy.belongsUnder?.(key, path);
      hint = elsewhere
        ? `'${key}' belongs under ${elsewhere}; move it there.`
        : `${this.policy.rejecter} rejects unknown keys. Known keys: ${fields.map((f) => f.key).join(', ')}.`;
    }
    this.ctx.error('unknown-key', [...path, key], 'key', `Unknown key '${key}' ${here}: ${hint}`);
  }

  private checkField(field: FieldSpec, node: unknown, path: KeyPath): void {
    const { ctx, policy } = this;
    const name = formatKeyPath(path);
    const plainName = fieldName(path);
    if (isEmptyNode(node)) {
      if (field.required) policy.missing(ctx, field, path, true);
      else if (field.kind === 'section' && field.fields?.some((f) => f.required)) this.reportMissing(field.fields, path);
      else if (!policy.emptyCheckedElsewhere?.has(plainName)) {
        ctx.warning('empty-value', path, 'key', `${name} has no value; give it one or comment the key out.`);
      }
      return;
    }
    if (policy.valueCheckedElsewhere?.has(plainName)) return;
    const src = sourceText(node, ctx.parsed.text);
    const value = isScalar(node) ? node.value : undefined;
    const typeError = (expected: string) => ctx.error('invalid-type', path, 'value', `${name} must be ${expected}; got ${describe(node, src)}.`);

    switch (field.kind) {
      case 'section':
        if (isMap(node)) this.checkMap(field.fields ?? [], node, path);
        else typeError(`a map of keys (${(field.fields ?? []).map((f) => f.key).join(', ')})`);
        return;
      case 'map':
        if (!isMap(node)) typeError('a map');
        return;
      case 'string':
      case 'path':
        if (typeof value !== 'string') typeError(stringExpectation(node, src));
        return;
      case 'host':
        if (typeof value !== 'string') typeError(stringExpectation(node, src));
        else if (!isHostName(value)) {
          ctx.error(
            'invalid-host',
            path,
            'value',
            `${name} must be a host name such as aoscloud.io (letters, digits, hyphens and dots; no scheme, port or path); got '${src}'.`,
          );
        }
        return;
      case 'integer':
      case 'number':
        this.checkNumber(field, node, path, src);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') typeError('true or false');
        return;
      case 'enum':
        this.checkEnum(field, node, path, src);
        return;
      case 'size':
        policy.checkSize(ctx, node, path, src);
        return;
      case 'duration':
        if (typeof value !== 'string' || !parseDuration(value)) {
          ctx.error('invalid-duration', path, 'value', `${name} must be an ISO 8601 duration such as PT10S, PT1M or P1DT3H; got '${src}'.`);
        }
        return;
      case 'semver':
        if (!isStrictSemver(value)) {
          ctx.error('invalid-semver', path, 'value', `${name} must be strict SemVer 2.0.0 such as 1.0.0; got '${src}'.`);
        }
        return;
      case 'semver-range':
        if (typeof value !== 'string') typeError(stringExpectation(node, src));
        else policy.checkRange?.(ctx, node, path, src);
        return;
      case 'command':
        if (isSeq(node)) this.checkItems(node.items, path);
        else if (typeof value !== 'string') typeError('a string or a list of strings');
        return;
      case 'string-list':
      case 'enum-list':
      case 'object-list':
        if (!isSeq(node)) {
          typeError(`a list (one \`- item\` per line)`);
          return;
        }
        if (policy.itemsCheckedElsewhere?.has(plainName)) return;
        if (field.kind === 'string-list') this.checkItems(node.items, path);
        else if (field.kind === 'enum-list') node.items.forEach((item, i) => this.checkEnum(field, item, [...path, i], sourceText(item, ctx.parsed.text)));
        else {
          node.items.forEach((item, i) => {
            if (isMap(item)) this.checkMap(field.fields ?? [], item, [...path, i]);
            else if (policy.bareStringItems?.has(plainName) && isScalar(item) && typeof item.value === 'string') return;
            else ctx.error('invalid-type', [...path, i], 'value', `${name}[${i}] must be a map with ${(field.fields ?? []).map((f) => f.key).join(', ')}.`);
          });
        }
        return;
    }
  }

  private checkItems(items: unknown[], path: KeyPath): void {
    items.forEach((item, i) => {
      if (isScalar(item) && typeof item.value === 'string') return;
      const src = sourceText(item, this.ctx.parsed.text);
      this.ctx.error('invalid-type', [...path, i], 'value', `${formatKeyPath([...path, i])} must be a string; got ${describe(item, src)}.`);
    });
  }

  private checkNumber(field: FieldSpec, node: unknown, path: KeyPath, src: string): void {
    const name = formatKeyPath(path);
    const value = isScalar(node) ? node.value : undefined;
    const integer = field.kind === 'integer';
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.ctx.error('invalid-type', path, 'value', `${name} must be ${integer ? 'a whole number' : 'a number'}; got ${describe(node, src)}.`);
      return;
    }
    const { min, max } = field;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const bounds = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `between ${min} and ${max}`;
      this.ctx.error('out-of-range', path, 'value', `${name} must be ${bounds}; got ${src}.`);
    }
  }

  private checkEnum(field: FieldSpec, node: unknown, path: KeyPath, src: string): void {
    const options = field.options ?? [];
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string' && options.includes(value)) return;
    const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
    this.ctx.error(
      'invalid-enum',
      path,
      'value',
      `${formatKeyPath(path)} must be one of ${options.join(', ')}; got '${src}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
    );
  }
}

export function stringExpectation(node: unknown, src: string): string {
  return isScalar(node) ? `a string (quote it: "${src}")` : 'a string';
}

/** How a value is quoted back in "got ..." messages. */
export function describe(node: unknown, src: string): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  return `'${src}'`;
}

/** Where a key sits, for messages about the map itself. */
function where(path: KeyPath): string {
  return path.length === 0 ? 'The document' : formatKeyPath(path);
}
