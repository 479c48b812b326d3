import { SimulatedFaultSwitches } from './simulated-fault.switches.js';

describe('SimulatedFaultSwitches', () => {
  it('starts with every switch off', () => {
    const faults = new SimulatedFaultSwitches();
    expect(faults.takeBackendStatus()).toBeUndefined();
    expect([faults.githubDown, faults.proxyDown, faults.backendReset, faults.githubDelayMs, faults.backendDelayMs]).toEqual([false, false, false, 0, 0]);
    expect(faults.backendStatusTimes).toBe(Infinity);
  });

  it('takes a 5xx for githubStatus (an outage), and nothing else', () => {
    const faults = new SimulatedFaultSwitches();
    expect(faults.githubStatus).toBeUndefined();
    faults.githubStatus = 502;
    expect(faults.githubStatus).toBe(502);
    faults.githubStatus = undefined;
    for (const bad of [404, 600, 503.5, '503']) expect(() => Object.assign(faults, { githubStatus: bad })).toThrow(/githubStatus must be an integer status 500-599/);
  });

  it('spends backendStatusTimes, then switches the status fault off', () => {
    const faults = new SimulatedFaultSwitches();
    Object.assign(faults, { backendStatus: 503, backendStatusTimes: 2 });
    expect([faults.takeBackendStatus(), faults.takeBackendStatus(), faults.takeBackendStatus()]).toEqual([503, 503, undefined]);
    expect([faults.backendStatus, faults.backendStatusTimes]).toEqual([undefined, Infinity]);
  });

  it('keeps answering the status forever by default, and not at all with times 0', () => {
    const faults = new SimulatedFaultSwitches();
    faults.backendStatus = 500;
    expect(Array.from({ length: 5 }, () => faults.takeBackendStatus())).toEqual([500, 500, 500, 500, 500]);
    faults.backendStatusTimes = 0;
    expect(faults.takeBackendStatus()).toBeUndefined();
    expect(faults.backendStatus).toBeUndefined();
  });

  it('spends proxyRefusesSessions, one refused session at a time, forever with Infinity', () => {
    const faults = new SimulatedFaultSwitches();
    expect(faults.takeProxySessionRefusal()).toBe(false);
    faults.proxyRefusesSessions = 2;
    expect([faults.takeProxySessionRefusal(), faults.takeProxySessionRefusal(), faults.takeProxySessionRefusal()]).toEqual([true, true, false]);
    faults.proxyRefusesSessions = Infinity;
    expect(Array.from({ length: 3 }, () => faults.takeProxySessionRefusal())).toEqual([true, true, true]);
  });

  it('takes the four reasons oauth2-proxy refuses a user at its callback, and nothing else', () => {
    const faults = new SimulatedFaultSwitches();
    for (const reason of ['org', 'team', 'saml', 'email-domain'] as const) {
      faults.proxyRefusesAtCallback = reason;
      expect(faults.proxyRefusesAtCallback).toBe(reason);
    }
    expect(() => { (faults as unknown as { proxyRefusesAtCallback: unknown }).proxyRefusesAtCallback = 'email'; }).toThrow(
      `faults.proxyRefusesAtCallback must be 'org', 'team', 'saml', 'email-domain' or undefined, got "email"`,
    );
    expect(() => { faults.proxyRefusesSessions = -1; }).toThrow(/proxyRefusesSessions must be a non-negative integer or Infinity/);
  });

  it('names the switch and the expectation when a value is wrong', () => {
    const faults = new SimulatedFaultSwitches();
    expect(() => { faults.backendStatus = 99; }).toThrow('faults.backendStatus must be an integer status 200-599 or undefined, got 99');
    expect(() => { faults.backendBodyBytes = -1; }).toThrow(/backendBodyBytes/);
    expect(() => { faults.backendDelayMs = Number.NaN; }).toThrow(/backendDelayMs/);
    expect(() => { (faults as unknown as { githubDown: unknown }).githubDown = 'yes'; }).toThrow(/githubDown must be a boolean/);
    expect(() => { faults.backendRedirect = '/relative'; }).toThrow('faults.backendRedirect must be an absolute URL or undefined, got string');
    expect(() => { faults.backendSetCookies = 1.5; }).toThrow(/backendSetCookies/);
  });
});
