import { BadParameterError } from '../errors.js';
import { DAY_FORMATS, type DayLayout, dayLayoutFor } from './athena-days.js';
import { athenaLiteral, validateParam } from './params.js';
import type { Params } from './types.js';

/** Athena caps each execution parameter at 1024 characters. */
const MAX_LITERAL = 1024;

/**
 * What a rendered literal may look like: a number, or a quoted string of the characters IPs, CIDR lists and day
 * partition values use. Validation already guarantees this; checking the rendered text again means a future param
 * type that forgets to validate cannot smuggle SQL into Athena's literal splice.
 */
const SAFE_LITERAL = /^(?:\d{1,19}|'[A-Za-z0-9:./,=_-]*')$/;

/**
 * Validates one parameter of `query` and renders it as the execution-parameter literal Athena splices in (days in the
 * table's partition layout); throws {@link BadParameterError} — and nothing is sent — when it fails.
 */
export function athenaParam(query: string, name: string, params: Params, flowDayLayout: DayLayout): string {
  const p = params[name];
  if (!p) throw new BadParameterError(name, `query ${query} needs it and it was not given`);
  validateParam(name, p);
  const text = athenaLiteral(p, DAY_FORMATS[dayLayoutFor(name, flowDayLayout)].render);
  if (text.length > MAX_LITERAL || !SAFE_LITERAL.test(text)) {
    throw new BadParameterError(name, 'its rendered literal is not a plain number or a simple quoted string');
  }
  return text;
}
