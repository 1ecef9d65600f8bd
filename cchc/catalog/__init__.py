"""The procedure catalog (danh mục thủ tục hành chính): procedures, versions, process templates, reviews."""
