"""HTML pages, QR codes and flyers of the output tree (see :func:`.build.build_pages`)."""
