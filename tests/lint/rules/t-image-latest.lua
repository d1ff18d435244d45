-- t-image-latest: container images without a tag or tagged latest.
return {
	id = "t-image-latest",
	severity = "warning",
	category = "test",
	description = "container image without a pinned tag",
	hint = "pin the image to a version",
	kinds = { "Pod", "Job", "Deployment" },
	check = function(obj, ctx)
		local pod, base = tk.pod(obj)
		if not pod or type(pod.containers) ~= "table" then
			return
		end
		for i, c in ipairs(pod.containers) do
			local img = c.image
			if type(img) == "string" and (img:match(":latest$") or not img:match(":")) then
				ctx:report{ obj = obj, path = tk.path(base, "containers", i, "image"),
					message = ("container '%s' uses image '%s'"):format(c.name, img) }
			end
		end
	end,
}
