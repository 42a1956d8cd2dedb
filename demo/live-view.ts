import { clearScreenDown, cursorTo, moveCursor } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

/**
 * Shows successive frames of the demo's health table. On a terminal each frame replaces the
 * previous one in place (the lines above it, such as the start-up messages, stay); anywhere else
 * (a pipe, a log file, CI) frames are printed plainly one after another, a blank line between.
 */
export class LiveView {
  /** Terminal rows the last frame took, to move back over. */
  private previousRows = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /** Whether frames redraw in place; callers print plain frames less often. */
  get inPlace(): boolean {
    return this.out.isTTY === true;
  }

  show(frame: string): void {
    if (!this.inPlace) {
      this.out.write(`${frame}\n\n`);
      return;
    }
    if (this.previousRows > 0) {
      moveCursor(this.out, 0, -this.previousRows);
      cursorTo(this.out, 0);
      clearScreenDown(this.out);
    }
    this.out.write(`${frame}\n`);
    this.previousRows = rowsOf(frame, this.out.columns);
  }
}

/** Rows `frame` takes on a terminal `columns` wide, counting lines the terminal wraps. */
function rowsOf(frame: string, columns: number): number {
  return frame
    .split('\n')
    .reduce((rows, line) => rows + Math.max(1, Math.ceil(stripVTControlCharacters(line).length / Math.max(1, columns))), 0);
}
