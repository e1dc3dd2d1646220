export async function benchMaglev(): Promise<void> {
  console.log('maglev bench: pending');
}
