-- rules/latest-tag.lua: kube-linter's latest-tag check.
local BLOCK = { ".*:(latest)$", "^[^:]*$", "(.*/[^:]+)$" }

return {
	id = "latest-tag",
	severity = "warning",
	category = "best-practice",
	description = "container image uses the latest tag or no tag",
	hint = "pin the image to a version tag or a digest",
	kinds = kube.workload_kinds(),
	options = { blockList = BLOCK, allowList = sk.array({}) },
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			-- Spark sets a pod template's first image (spark.kubernetes.container.image)
			local img = not spark.fills_container(ctx, obj, ce) and kube.str(ce.c.image) or nil
			if img and img ~= "" and not img:find("@sha256:", 1, true) then
				local blocked = false
				for _, pat in ipairs(ctx.options.blockList or BLOCK) do
					if re.test(img, pat) then
						blocked = true
					end
				end
				for _, pat in ipairs(ctx.options.allowList or {}) do
					if re.test(img, pat) then
						blocked = false
					end
				end
				if blocked then
					ctx:report{ obj = obj, path = kube.path(ce.path, "image"),
						message = string.format("container '%s' uses image '%s' without a pinned version (latest or no tag)",
							ce.name or "?", img) }
				end
			end
		end
	end,
}
