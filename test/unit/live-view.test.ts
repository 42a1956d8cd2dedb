import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { LiveView } from '../../demo/live-view';

/** A stand-in for stdout that records what was written; a terminal `columns` wide when `tty`. */
function output(tty: boolean, columns = 80): { stream: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { isTTY: tty, columns });
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => chunks.join('') };
}

it('redraws a frame in place on a terminal: back up over the last frame, clear it, draw the new one', () => {
  const { stream, written } = output(true, 20);
  const view = new LiveView(stream);
  view.show('region  status\nPJM_DC  healthy');
  // The second line of this frame is 30 characters, which a 20-column terminal wraps onto 2 rows.
  view.show('region  status\nPJM_DC  degraded (401 retried)');
  view.show('region  status\nPJM_DC  healthy');
  expect(view.inPlace).toBe(true);
  expect(written()).toBe(
    'region  status\nPJM_DC  healthy\n' +
      '\x1b[2A\x1b[1G\x1b[0J' + 'region  status\nPJM_DC  degraded (401 retried)\n' +
      '\x1b[3A\x1b[1G\x1b[0J' + 'region  status\nPJM_DC  healthy\n',
  );
});

it('prints frames plainly, one after another, when the output is not a terminal', () => {
  const { stream, written } = output(false);
  const view = new LiveView(stream);
  view.show('frame 1');
  view.show('frame 2');
  expect(view.inPlace).toBe(false);
  expect(written()).toBe('frame 1\n\nframe 2\n\n');
});
