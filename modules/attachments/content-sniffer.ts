/**
 * Content type from the bytes, never from the client's Content-Type or file name
 * (issue 3, Attachments). Accepts PDF, PNG, JPEG, OOXML (docx/xlsx/pptx) and legacy
 * Office (OLE2). Everything else, including a renamed executable, plain text, a plain ZIP
 * or a macro-enabled OOXML file (docm/xlsm/pptm), is refused.
 *
 * Detection is the `file-type` library's (issue 10): magic numbers, and for a ZIP the
 * `[Content_Types].xml` part (its `…main+xml` content type), read from local headers in
 * order. `file-type` is ESM-only; it is loaded through `load-esm` (a real `import()` at run
 * time; jest transforms both, see jest.config.js transformIgnorePatterns).
 */
import { loadEsm } from 'load-esm';

export interface SniffResult {
  contentType: string;
  /** the extension matching the content, for a download name that tells the truth */
  extension: string;
}

interface FileTypeResult {
  ext: string;
  mime: string;
}
interface FileTypeModule {
  fileTypeFromBuffer(input: Uint8Array | ArrayBuffer): Promise<FileTypeResult | undefined>;
  fileTypeFromFile(path: string): Promise<FileTypeResult | undefined>;
}

let fileTypeModule: Promise<FileTypeModule> | undefined;
const fileType = () => (fileTypeModule ??= loadEsm<FileTypeModule>('file-type'));

/** Loads the library ahead of the first upload (AttachmentsService.onModuleInit). */
export const loadSniffer = async (): Promise<void> => {
  await fileType();
};

/** What `file-type` reports that we take, by its extension, with the content type we store. */
const ACCEPTED: Record<string, SniffResult> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  png: { contentType: 'image/png', extension: 'png' },
  jpg: { contentType: 'image/jpeg', extension: 'jpg' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' },
};

/** Legacy Office shares OLE2 (`cfb`) with .msi installers and more: only these extensions are taken. */
const LEGACY_OFFICE: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

function judge(detected: FileTypeResult | undefined, filename: string): SniffResult | undefined {
  if (!detected) return undefined;
  if (detected.ext === 'cfb') {
    const ext = filename.toLowerCase().split('.').pop() ?? '';
    return LEGACY_OFFICE[ext] ? { contentType: LEGACY_OFFICE[ext], extension: ext } : undefined;
  }
  return ACCEPTED[detected.ext];
}

export async function sniffContentType(buf: Buffer, filename = ''): Promise<SniffResult | undefined> {
  if (buf.length === 0) return undefined;
  return judge(await (await fileType()).fileTypeFromBuffer(buf), filename);
}

/**
 * The same judgement for a file on disk: `file-type` reads through a file tokenizer, only
 * as far as it needs (issue 8 item 11: nothing reads the whole file into memory).
 */
export async function sniffFile(path: string, size: number, filename = ''): Promise<SniffResult | undefined> {
  if (size === 0) return undefined;
  return judge(await (await fileType()).fileTypeFromFile(path), filename);
}
