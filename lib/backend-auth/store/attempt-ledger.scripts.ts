/**
 * The attempt ledger of a key in Redis (`SharedAttemptLedger`): one sorted set whose members are
 * `p:<tag>:<id>` (in flight) or `f:<tag>:<id>` (failed), scored by when. Each script first forgets what is
 * past (failures after the window, attempts in flight after their hold) and what cannot be (a score in
 * the future, a member of another form: a planted entry must not hold a key forever), then answers.
 *
 * ARGV: now, windowMs, holdMs, max, since (-1: all count), tag, id (reserve: a new one; settle: `<tag>:<id>` as
 * the reservation gave it), failed ('1' or '0'), once ('1': an attempt in flight under this id is not counted again).
 * Returns {admitted (1/0), retryAfterMs, blockedForMs}.
 */
const SCAN = `
local now, windowMs, holdMs, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local since, tag = tonumber(ARGV[5]), ARGV[6]
local function scan()
  local counted, failures = {}, {}
  local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local member, at = all[i], tonumber(all[i + 1])
    local kind, memberTag = string.match(member, '^([pf]):([^:]*):')
    local life = kind == 'p' and holdMs or windowMs
    if kind == nil or at > now + 1000 or at <= now - life then
      redis.call('ZREM', KEYS[1], member)
    else
      if since < 0 or at < since or memberTag == tag then
        table.insert(counted, kind == 'p' and now + 1000 or at + windowMs)
      end
      if kind == 'f' then table.insert(failures, at) end
    end
  end
  table.sort(counted)
  table.sort(failures)
  local blockedFor = 0
  if #failures >= max then blockedFor = math.max(1, failures[#failures - max + 1] + windowMs - now) end
  return counted, blockedFor
end
local function keep() redis.call('PEXPIRE', KEYS[1], math.max(windowMs, holdMs)) end
`;

export const RESERVE_ATTEMPT = `${SCAN}
local counted, blockedFor = scan()
local member = 'p:' .. tag .. ':' .. ARGV[7]
if ARGV[9] == '1' and redis.call('ZSCORE', KEYS[1], member) then return {1, 0, blockedFor} end
if #counted >= max then return {0, math.max(1, counted[#counted - max + 1] - now), blockedFor} end
redis.call('ZADD', KEYS[1], now, member)
keep()
return {1, 0, blockedFor}`;

export const SETTLE_ATTEMPT = `${SCAN}
local removed = redis.call('ZREM', KEYS[1], 'p:' .. ARGV[7])
if removed == 1 and ARGV[8] == '1' then redis.call('ZADD', KEYS[1], now, 'f:' .. ARGV[7]) end
local _, blockedFor = scan()
keep()
return {1, 0, blockedFor}`;

/** Publishes an address's block (KEYS[1] the set, ARGV: now, until, member), forgetting ended or implausible ones. */
export const PUBLISH_BLOCK = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (ARGV[1] + ARGV[4]), '+inf')
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;
