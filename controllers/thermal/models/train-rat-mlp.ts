/**
 * Writes rat-brain-mlp.json, the static MLP brain estimator used by the `hypothermia-static-mlp`
 * scenario: the seed's 1-8-8-1 tansig/linear network trained by Levenberg–Marquardt (MLP room)
 * on the odd-numbered samples of rat_brain_rectal.csv. The brain values in that table are a
 * reconstruction (controllers/mlp/data/README.md): the paper's decimals were lost. Run:
 *   npx tsx controllers/thermal/models/train-rat-mlp.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { finiteCell, readCsvFile } from '../../../formats/csv.ts';
import { mlpToJson } from '../../mlp/json.ts';
import { mse } from '../../mlp/dataset.ts';
import { toDataset, trainRatMlp, type RatSample } from '../../mlp/rat-estimator.ts';

const here = new URL('.', import.meta.url);
const table = readCsvFile(fileURLToPath(new URL('rat_brain_rectal.csv', here)));
const col = (name: string): number => table.header.indexOf(name);
const rows: RatSample[] = table.rows.map((r, k) => ({
  sample: finiteCell(table, k, col('sample')),
  rectal_C: finiteCell(table, k, col('rectal_C')),
  brain_C: finiteCell(table, k, col('brain_C_reconstructed')),
  set: r[col('set')] as 'train' | 'test',
}));

// mulberry32, seed 1: a fixed, documented stream for the initial weights.
let state = 1;
const rng = {
  uniform(): number {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
};
const train = toDataset(rows.filter((r) => r.set === 'train'));
const test = toDataset(rows.filter((r) => r.set === 'test'));
const net = trainRatMlp(train, rng, train, 200);
const json = mlpToJson(net, {
  inputNames: ['T_rectal_C'],
  outputNames: ['T_brain_C'],
  note: `1-8-8-1 LM, odd samples of the reconstructed Demirel & Erkal table; test MSE ${mse(net, test).toFixed(4)} (reconstructed data, not comparable with the paper's 0.0160)`,
});
writeFileSync(new URL('rat-brain-mlp.json', here), JSON.stringify(json, null, 1) + '\n');
process.stdout.write(`${json.note}\n`);
