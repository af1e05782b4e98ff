import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Finds an executable on PATH, like `command -v`; undefined when absent. */
export function commandPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path.length > 0 ? path : undefined;
}

/**
 * What this machine offers the bench: CPU pinning, a CPU timer for children, a hard time limit
 * for children, and the optional peers (wrk) and target (nginx).
 */
export function detectHostTools() {
  const taskset = commandPath('taskset');
  // Pinning needs two usable cores: the target on core 1, the generator on core 0.
  const canPin = taskset !== undefined && spawnSync(taskset, ['-c', '1', 'true']).status === 0 && spawnSync(taskset, ['-c', '0', 'true']).status === 0;
  const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0 ? '/usr/bin/time' : undefined;
  const clkTck = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim() || '100');
  return {
    taskset: canPin ? taskset : undefined,
    pinNote: canPin ? 'target pinned to core 1, generators to core 0 (taskset)' : taskset ? 'UNPINNED: taskset cannot use cores 0 and 1 here' : 'UNPINNED: taskset is not installed',
    gnuTime,
    timeout: commandPath('timeout'),
    wrk: commandPath('wrk'),
    nginx: commandPath('nginx'),
    clkTck: Number.isFinite(clkTck) && clkTck > 0 ? clkTck : 100,
  };
}

/** `apt-get update && apt-get install -y wrk nginx`, only when the user passed --install. */
export function installPeers(logger) {
  logger.info('--install: apt-get update && apt-get install -y wrk nginx');
  const result = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y wrk nginx'], { stdio: 'inherit', timeout: 600_000 });
  if (result.status !== 0) logger.warn(`apt-get failed (exit ${result.status ?? result.signal}); going on with what is installed`);
}
