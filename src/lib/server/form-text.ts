/**
 * A text field of the workspace's forms, read and checked the same way everywhere: line breaks
 * made plain, trimmed, within its limit, no control characters, one line unless it may hold
 * several. A refusal is added to `errors` next to the field's name; the value is returned as read.
 */
import { hasControlCharacters, singleLineProblem } from '../request-form';

export type FieldProblem = { field?: string; message: string; params?: Record<string, string | number> };

export function checkedText(values: { get(name: string): string }, errors: FieldProblem[], name: string, max: number, options: { required?: string; multiline?: boolean } = {}): string {
  const value = values.get(name).replace(/\r\n?/g, '\n').trim();
  if (value === '') {
    if (options.required) errors.push({ field: name, message: options.required });
  } else if (value.length > max) errors.push({ field: name, message: 'agent.errors.tooLong', params: { max, count: value.length } });
  else if (hasControlCharacters(value)) errors.push({ field: name, message: 'request.errors.controlCharacters' });
  else if (!options.multiline && singleLineProblem(value)) errors.push({ field: name, message: singleLineProblem(value)! });
  return value;
}
