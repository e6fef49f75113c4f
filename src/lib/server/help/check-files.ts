/**
 * The checks of ./validate.ts over a content folder on its own (no database): what
 * `npm run content:check` and every build run, so a file that would be refused at import is
 * refused before it is committed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { imageInPublic } from '../../../schemas/content';
import { publicDir } from '../../content-paths';
import { type ContentFile, contentFilePath, readContentFiles } from './files';
import { knownPathsOf } from '../../content-links';
import { type CheckContext, checkSource, type Problem } from './validate';

export interface FileProblem {
  file: string;
  problems: Problem[];
}

/** Uploaded images are served at /medias/<sha256>.<ext>; an export writes them to content/medias/. */
export const UPLOADED_IMAGE = /^\/medias\/([0-9a-f]{64})\.(webp|png)$/;

export function folderContext(root: string, entries: Iterable<{ kind: ContentFile['kind']; locale: 'fr' | 'en'; slug: string }>, uploaded: (id: string) => boolean): CheckContext {
  const list = [...entries];
  const inPublic = imageInPublic(publicDir());
  return {
    topics: new Set(list.filter((e) => e.kind === 'topic').map((e) => e.slug)),
    knownPaths: knownPathsOf(list),
    imageExists: (src) => {
      const match = UPLOADED_IMAGE.exec(src);
      return match ? uploaded(match[1]!) || existsSync(join(root, 'medias', `${match[1]}.${match[2]}`)) : inPublic(src);
    },
  };
}

export function checkFiles(root: string, files: ContentFile[], context: CheckContext): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const file of files) {
    const checked = checkSource(file.kind, file.source, context);
    if (!checked.ok) problems.push({ file: contentFilePath(root, file), problems: checked.problems });
  }
  return problems;
}

export const formatProblems = (problems: FileProblem[]) =>
  problems.map((p) => `- ${p.file}:\n${p.problems.map((q) => `    ${q.field ? `${q.field}: ` : ''}${q.message}`).join('\n')}`).join('\n');

/** Checks every entry file of `root`; throws naming each file, field and problem. Returns the number of files. */
export function assertContentFolder(root: string): number {
  const files = readContentFiles(root);
  const problems = checkFiles(root, files, folderContext(root, files, () => false));
  if (problems.length > 0) throw new Error(`The help content has problems; fix these files:\n${formatProblems(problems)}`);
  return files.length;
}
