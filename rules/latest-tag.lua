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
		-- in a pod template for spark-submit, Spark sets the image of its
		-- container (the first) from spark.kubernetes.container.image
		local tmpl = spark.is_pod_template(ctx, obj, nil)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			local img = kube.str(ce.c.image)
			if tmpl and not ce.init and ce.index == 1 then
				img = nil
			end
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
