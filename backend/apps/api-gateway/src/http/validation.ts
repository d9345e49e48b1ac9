import type { z } from 'zod';
import { ApiError, type FieldIssue } from './api-error.js';

type ZodIssue = z.core.$ZodIssue;

/** `items.0.quantity`; the whole body is `body`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'body' : path.map(String).join('.');
}

/** Zod's issues as fields a client can fix; an unknown key becomes an issue of its own. */
export function toFieldIssues(issues: readonly ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldName([...issue.path, key]),
        message: 'unknown field',
      }));
    }
    return [{ field: fieldName(issue.path), message: issue.message }];
  });
}

// "Invalid input: expected string, received undefined" says less than "required".
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;

/** Parses request input with a schema, or throws 400 `invalid_request` naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input, { error: requiredMessage });
  if (result.success) return result.data;
  throw ApiError.invalidRequest(toFieldIssues(result.error.issues));
}
