import { parseConfigText } from '../config-common/parse';
import type { ParsedDeploymentConfig } from './index';

/** config.yaml parsed with positions (the shared parse step of every config kind). */
export function parseDeploymentConfig(text: string): ParsedDeploymentConfig {
  return parseConfigText(text);
}
