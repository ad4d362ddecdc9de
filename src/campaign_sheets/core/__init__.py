"""The core: the domain model, the workbook layout, problems, errors, text rules,
organisations, the configuration, the audience rule and the build context.

Values only: nothing here reads a file, a sheet or the network (the configuration is
parsed from text; :mod:`.resources` only names where bundled files are).
"""
