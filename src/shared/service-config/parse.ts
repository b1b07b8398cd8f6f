import { parseConfigText } from '../config-common/parse';
import type { ParsedServiceConfig } from './index';

/** meta/config.yaml parsed with positions (the shared parse step of every config kind). */
export function parseServiceConfig(text: string): ParsedServiceConfig {
  return parseConfigText(text);
}
