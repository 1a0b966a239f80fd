import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { type AwsIpRanges, parseAwsIpRanges } from './ip-ranges.js';

/**
 * Loads `ip-ranges.json` from `file` (`EGRESS_AWS_IP_RANGES` / `--ip-ranges`). A missing or broken file is the
 * operator's to fix, so it is a {@link UserError} saying how: `egress setup` fetches and caches it.
 */
export async function loadAwsIpRanges(file: string): Promise<AwsIpRanges> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError(
      'CONFIG',
      `Cannot read the AWS ip-ranges file ${file} (${code}): run \`egress setup\` to fetch it, or unset EGRESS_AWS_IP_RANGES.`,
    );
  }
  try {
    return parseAwsIpRanges(text);
  } catch (err) {
    throw new UserError(
      'CONFIG',
      `The AWS ip-ranges file ${file} is ${(err as Error).message}: run \`egress setup\` to fetch it again.`,
    );
  }
}
