import { describe, expect, it } from 'vitest';
import type { AlertRule } from './api/alerts';
import { levelOf, serverLevels, thresholdFor, worst } from './thresholds';

function rule(p: Partial<AlertRule>): AlertRule {
  return {
    id: 'r', name: 'r', metric: 'cpu.usage', comparator: '>', warningLevel: 'warning', criticalLevel: 'critical',
    durationSeconds: 60, channelIds: [], enabled: true, createdAt: 0, ...p,
  };
}

describe('thresholds', () => {
  it('uses 80/90 % by default, so 100 % is red and 5 % is not coloured', () => {
    const t = thresholdFor('cpu.usage', 's1', []);
    expect(t).toMatchObject({ warning: 80, critical: 90, source: 'default' });
    expect(levelOf(100, t)).toBe('critical');
    expect(levelOf(85, t)).toBe('warning');
    expect(levelOf(5, t)).toBe('ok');
    expect(levelOf(undefined, t)).toBe('ok');
  });

  it("takes the user's rule for that metric and server over the defaults", () => {
    const rules = [rule({ warning: 50, critical: 70 })];
    const t = thresholdFor('cpu.usage', 's1', rules);
    expect(t).toMatchObject({ warning: 50, critical: 70, source: 'rule' });
    expect(levelOf(60, t)).toBe('warning');
    expect(levelOf(75, t)).toBe('critical');
    // Memory has no rule: defaults.
    expect(thresholdFor('memory.usage', 's1', rules)?.source).toBe('default');
  });

  it('ignores disabled rules, rules for other servers, "<" rules, and disk rules on other mounts', () => {
    const rules = [
      rule({ warning: 10, enabled: false }),
      rule({ warning: 20, serverIds: ['other'] }),
      rule({ warning: 30, comparator: '<' }),
      rule({ metric: 'disk.usage', warning: 40, mount: '/data' }),
    ];
    expect(thresholdFor('cpu.usage', 's1', rules)?.source).toBe('default');
    expect(thresholdFor('disk.usage', 's1', rules)?.source).toBe('default');
    expect(thresholdFor('cpu.usage', 'other', rules)).toMatchObject({ warning: 20, source: 'rule' });
  });

  it('takes the strictest level where several rules cover the server, and a critical-only rule has no amber', () => {
    const t = thresholdFor('memory.usage', 's1', [
      rule({ metric: 'memory.usage', warning: 70, critical: 95 }),
      rule({ metric: 'memory.usage', warning: 85, critical: 88, serverIds: ['s1'] }),
    ]);
    expect(t).toMatchObject({ warning: 70, critical: 88 });
    const c = thresholdFor('memory.usage', 's1', [rule({ metric: 'memory.usage', critical: 60 })]);
    expect(levelOf(59, c)).toBe('ok');
    expect(levelOf(60, c)).toBe('critical');
  });

  it('colours load per core by default, not at all without a core count', () => {
    expect(levelOf(3, thresholdFor('cpu.load1', 's1', [], 4))).toBe('ok');
    expect(levelOf(5, thresholdFor('cpu.load1', 's1', [], 4))).toBe('warning');
    expect(levelOf(9, thresholdFor('cpu.load1', 's1', [], 4))).toBe('critical');
    expect(thresholdFor('cpu.load1', 's1', [])).toBeUndefined();
  });

  it('a row is as bad as its worst metric', () => {
    expect(worst('ok', 'warning', 'ok')).toBe('warning');
    expect(worst('warning', 'critical')).toBe('critical');
    expect(worst('ok')).toBe('ok');
  });
});

describe('server levels', () => {
  it('colours each number and marks the server by its worst', () => {
    const l = serverLevels('s1', { cpu: 100, memory: 10, disk: 85, load1: 0.2, cores: 2 }, []);
    expect(l).toEqual({ cpu: 'critical', memory: 'ok', disk: 'warning', load: 'ok', any: 'critical' });
    expect(serverLevels('s1', { cpu: 5, memory: 10 }, []).any).toBe('ok');
  });
});
