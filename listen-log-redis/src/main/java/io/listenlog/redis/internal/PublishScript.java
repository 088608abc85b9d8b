package io.listenlog.redis.internal;

/**
 * The one round trip of a publish, atomic on the server: trim what every consumer group has acknowledged, refuse the
 * batch if the entries not yet acknowledged would exceed the cap, else append it. So the cap never deletes an entry a
 * consumer has not stored; a full stream is a refusal the logger counts, not a silent loss.
 *
 * <p>KEYS[1] the stream; ARGV[1] the cap, ARGV[2] the number of entries, then per entry the number of strings that
 * follow and its field-value pairs. Returns the stream's length after the append, or {@code -1 - length} when refused.
 */
public final class PublishScript {

    public static final String LUA = """
            local key = KEYS[1]
            local cap = tonumber(ARGV[1])
            local entries = tonumber(ARGV[2])
            local function parse(id)
              local dash = string.find(id, '-', 1, true)
              return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
            end
            local function before(a, b)
              local am, as = parse(a)
              local bm, bs = parse(b)
              return am < bm or (am == bm and as < bs)
            end
            if redis.call('EXISTS', key) == 1 then
              local keep = nil
              for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
                local name, last
                for i = 1, #group, 2 do
                  if group[i] == 'name' then name = group[i + 1] end
                  if group[i] == 'last-delivered-id' then last = group[i + 1] end
                end
                local needed
                local pending = redis.call('XPENDING', key, name)
                if pending[1] > 0 then
                  needed = pending[2]
                else
                  local ms, seq = parse(last)
                  needed = string.format('%d-%d', ms, seq + 1)
                end
                if keep == nil or before(needed, keep) then keep = needed end
              end
              if keep ~= nil then redis.call('XTRIM', key, 'MINID', '~', keep) end
              local length = redis.call('XLEN', key)
              if length + entries > cap then return -1 - length end
            end
            local i = 3
            for _ = 1, entries do
              local n = tonumber(ARGV[i])
              redis.call('XADD', key, '*', unpack(ARGV, i + 1, i + n))
              i = i + n + 1
            end
            return redis.call('XLEN', key)
            """;

    private PublishScript() {
    }
}
