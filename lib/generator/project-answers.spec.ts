import { answerProblems, defaultPrefix, nameProblems, type ProjectAnswers } from './project-answers.js';

const GOOD: ProjectAnswers = {
  name: 'uservice-weather',
  description: 'The weather',
  repository: 'https://github.com/lsst-sqre/uservice-weather',
  prefix: '/weather',
  auth: 'bitly-proxy',
  adapter: 'express',
  dir: './uservice-weather',
};

describe('nameProblems', () => {
  it.each(['uservice-weather', 'weather', 'a1', 'x'.repeat(57)])('accepts %s', (name) => {
    expect(nameProblems(name)).toEqual([]);
  });

  it.each([
    ['Uservice-Weather', /not an RFC 1123 DNS label.*no capital letters/],
    ['uservice weather', /not an RFC 1123 DNS label/],
    ['.hidden', /not an RFC 1123 DNS label/],
    ['', /^the name is empty$/],
    ['node_modules', /not an RFC 1123 DNS label/],
    ['@lsst/weather', /lower-case letters, digits and "-" only/],
    ['uservice_weather', /^"uservice_weather" is not an RFC 1123 DNS label, which Kubernetes requires of its object names/],
    ['weather-', /lower-case letters, digits and "-" only/],
    ['x'.repeat(58), /longer than 57 characters/],
    ['http', /"http" is a Node.js core module name, which npm refuses/],
  ])('refuses %j, saying why', (name, why) => {
    expect(nameProblems(name).join('\n')).toMatch(why);
  });
});

describe('defaultPrefix', () => {
  it('is the name without "uservice-", as the technote names its routes', () => {
    expect(defaultPrefix('uservice-weather')).toBe('/weather');
    expect(defaultPrefix('weather')).toBe('/weather');
  });
});

describe('answerProblems', () => {
  it('accepts good answers', () => {
    expect(answerProblems(GOOD)).toEqual([]);
  });

  it('names every wrong answer at once, by its flag', () => {
    const problems = answerProblems({
      name: 'Bad Name',
      description: 'two\nlines',
      repository: 'git@github.com:lsst-sqre/x.git',
      prefix: '/',
      auth: 'kerberos' as ProjectAnswers['auth'],
      adapter: 'koa' as ProjectAnswers['adapter'],
      dir: ' ',
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(
      expect.arrayContaining(['<name>', '--description', '--repository', '--prefix', '--auth', '--adapter', '--dir']),
    );
    expect(problems.find((problem) => problem.startsWith('--auth'))).toBe('--auth: one of bitly-proxy, basic, none, got "kerberos"');
  });

  it.each(['/weather/v1', '/a.b_c~d-e'])('accepts the prefix %s', (prefix) => {
    expect(answerProblems({ ...GOOD, prefix })).toEqual([]);
  });

  it.each(['weather', '/weather/', '//weather', '/wea ther', '/../x', '/a?b', '/x/.'])('refuses the prefix %j', (prefix) => {
    expect(answerProblems({ ...GOOD, prefix }).join()).toMatch(/^--prefix: /);
  });
});
