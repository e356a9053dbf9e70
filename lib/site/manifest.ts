// The site manifest (site.manifest.json at the repository root), typed: locales, chapters,
// the reference scripts. The one list of each; see the file's $comment for who reads it.
import manifest from '../../site.manifest.json' with { type: 'json' };

export interface SiteManifest {
  defaultLocale: string;
  locales: Record<string, { label: string; lang: string }>;
  chapters: string[];
  pages: string[];
  scripts: {
    /** The reference cluster in its production form, in run order (stage ids, no `.sh`). */
    production: string[];
    /** What the kernel lab runs: 10-fabric-lab for the fabric, no model-only stages. */
    kernel: string[];
    /** Fault scripts (content/scripts/faults/) the kernel can run too. */
    kernelFaults: string[];
    /** Variant scripts (content/scripts/variants/) the kernel can run too. */
    kernelVariants: string[];
  };
}

export const SITE: SiteManifest = manifest;

/** `00-hosts.sh`... for a list of stage ids. */
export const scriptFiles = (ids: readonly string[]): string[] => ids.map((id) => `${id}.sh`);
