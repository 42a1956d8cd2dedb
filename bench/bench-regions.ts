/** The scale bench's regions: synthetic `BENCH_0001` … codes the emulator serves (emulator/regions.ts). */
export function benchRegions(count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `BENCH_${String(i + 1).padStart(width, '0')}`);
}
